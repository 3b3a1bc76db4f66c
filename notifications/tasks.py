from smtplib import SMTPException

from django.db import DatabaseError

from c2c.celery import app
from notifications import services

# Transient mail-server and database trouble: retry with back-off, the sweeps catch the rest.
RETRY_ON_DELIVERY_ERRORS = {
    "autoretry_for": (SMTPException, OSError, DatabaseError),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}


@app.task(**RETRY_ON_DELIVERY_ERRORS)
def deliver_notification(notification_id):
    """Email one notification; safe to run twice (the second run finds it sent)."""
    return services.deliver_email(notification_id=notification_id)


@app.task
def redeliver_pending_notifications():
    return services.redeliver_pending()


@app.task
def send_digests(frequency):
    """The daily or weekly digest round (beat); safe to run twice or on two workers at once."""
    return services.send_digests(frequency=frequency)


@app.task(**RETRY_ON_DELIVERY_ERRORS)
def deliver_digest(digest_id):
    """Email one claimed digest; safe to run twice (the second run finds it sent)."""
    return services.deliver_digest(digest_id=digest_id)


@app.task
def redeliver_pending_digests():
    return services.redeliver_pending_digests()

from smtplib import SMTPException

from django.db import DatabaseError

from c2c.celery import app
from notifications import services


@app.task(
    autoretry_for=(SMTPException, OSError, DatabaseError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def deliver_notification(notification_id):
    """Email one notification; safe to run twice (the second run finds it sent)."""
    return services.deliver_email(notification_id=notification_id)


@app.task
def redeliver_pending_notifications():
    return services.redeliver_pending()

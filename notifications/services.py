"""Writes for notifications: create the inbox row, deliver its email exactly once."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.enums import EmailStatus
from notifications.models import Notification

logger = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 10


def notify(*, recipient, kind, title, body="", url="", send_email=True) -> Notification:
    """Record a notification for `recipient` and email it once the caller's transaction commits.

    Call it inside the transaction of the event it reports: if that rolls back, no
    notification exists and nothing is sent.
    """
    wants_email = send_email and bool(recipient.email) and recipient.is_active
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        url=url,
        email_status=EmailStatus.PENDING if wants_email else EmailStatus.SKIPPED,
    )
    if wants_email:
        transaction.on_commit(partial(enqueue_delivery, notification.pk))
    return notification


def notify_staff(*, kind, title, body="", url=""):
    from accounts.models import User

    for user in User.objects.filter(is_staff=True, is_active=True):
        notify(recipient=user, kind=kind, title=title, body=body, url=url)


def notify_business(*, business, kind, title, body="", url=""):
    """Notify every member of a business (owners and colleagues alike)."""
    for membership in business.memberships.select_related("user"):
        notify(recipient=membership.user, kind=kind, title=title, body=body, url=url)


def enqueue_delivery(notification_id: int) -> bool:
    """Hand the email to the worker; a broker outage is logged, never raised.

    The row stays `pending`, so the periodic sweep re-enqueues it later.
    """
    from notifications.tasks import deliver_notification

    try:
        deliver_notification.apply_async((notification_id,), retry=False)
    except Exception:
        logger.warning(
            "Broker unavailable; notification %s stays pending for the re-delivery sweep",
            notification_id,
            exc_info=True,
        )
        return False
    return True


def absolute_url(path: str) -> str:
    if not path:
        return settings.SITE_URL + "/"
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def build_email(notification: Notification) -> EmailMultiAlternatives:
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "action_url": absolute_url(notification.url),
        "inbox_url": absolute_url("/notifications/"),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("notifications/email/notification_subject.txt", context)
    text_body = render_to_string("notifications/email/notification_body.txt", context)
    html_body = render_to_string("notifications/email/notification_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    )
    message.attach_alternative(html_body, "text/html")
    return message


def deliver_email(*, notification_id: int) -> bool:
    """Send the notification's email if it is still pending; return True if this call sent it.

    The row lock plus the status check means a task re-delivered by the broker and
    the sweep can race without sending twice.
    """
    try:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=notification_id, email_status=EmailStatus.PENDING)
                .first()
            )
            if notification is None:
                return False
            build_email(notification).send()
            notification.email_status = EmailStatus.SENT
            notification.email_sent_at = timezone.now()
            notification.delivery_attempts += 1
            notification.last_error = ""
            notification.save(update_fields=["email_status", "email_sent_at", "delivery_attempts", "last_error"])
            return True
    except Exception as error:
        _record_failed_attempt(notification_id, error)
        raise


def _record_failed_attempt(notification_id: int, error: Exception) -> None:
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return
    notification.delivery_attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    if notification.delivery_attempts >= MAX_DELIVERY_ATTEMPTS:
        notification.email_status = EmailStatus.FAILED
    notification.save(update_fields=["delivery_attempts", "last_error", "email_status"])


def redeliver_pending(*, older_than_seconds=None, limit=500) -> int:
    """Re-enqueue emails still pending after a grace period (the broker may have lost them)."""
    grace = older_than_seconds
    if grace is None:
        grace = settings.C2C_NOTIFICATION_REDELIVERY_AFTER_SECONDS
    cutoff = timezone.now() - timedelta(seconds=grace)
    pending_ids = list(
        Notification.objects.filter(email_status=EmailStatus.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for notification_id in pending_ids if enqueue_delivery(notification_id))


def mark_read(*, user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionError("Not your notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())

"""Writes for notifications: create the inbox row, deliver its email (or digest) exactly once."""

import logging
import operator
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from c2c.page_cache import people_changed
from notifications import selectors
from notifications.enums import (
    DIGEST_FREQUENCIES,
    Channel,
    EmailStatus,
    Frequency,
    PreferenceSource,
    default_frequency,
    is_fixed,
)
from notifications.models import Digest, Notification, NotificationPreference
from notifications.tokens import ALL_KINDS, UnsubscribeScope, make_unsubscribe_token

logger = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 10


def notify(
    *, recipient: User, kind: str, title: str, body: str = "", url: str = "", send_email: bool = True
) -> Notification:
    """Record a notification for `recipient`, honouring their preferences for `kind`.

    Call it inside the transaction of the event it reports: if that rolls back, no
    notification exists and nothing is sent. An immediate email is sent once the
    transaction commits; a daily/weekly one waits for that digest; "off" skips it.
    In the inbox it shows now, waits for its digest (see `send_digests`), or never shows.
    """
    email_frequency, inbox_frequency = selectors.frequencies_of(recipient, kind)
    if not (send_email and recipient.email and recipient.is_active) or email_frequency == Frequency.OFF:
        email_status = EmailStatus.SKIPPED
    elif email_frequency == Frequency.IMMEDIATE:
        email_status = EmailStatus.PENDING
    else:
        email_status = EmailStatus.DIGEST
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        url=url,
        email_frequency=email_frequency,
        email_status=email_status,
        inbox_frequency=inbox_frequency,
        shown_at=timezone.now() if inbox_frequency == Frequency.IMMEDIATE else None,
    )
    if email_status == EmailStatus.PENDING:
        # robust: a failure after commit is logged (the sweep sends it later), never turned into an error page.
        transaction.on_commit(lambda: enqueue_delivery(notification.pk), robust=True)
    return notification


def notify_staff(*, kind: str, title: str, body: str = "", url: str = ""):
    from accounts.models import User

    for user in User.objects.filter(is_staff=True, is_active=True):
        notify(recipient=user, kind=kind, title=title, body=body, url=url)


def notify_business(*, business, kind: str, title: str, body: str = "", url: str = ""):
    """Notify every member of a business (owners and colleagues alike)."""
    for membership in business.memberships.select_related("user"):
        notify(recipient=membership.user, kind=kind, title=title, body=body, url=url)


def enqueue_delivery(notification_id: int) -> bool:
    """Hand the email to the worker; a broker outage is logged, never raised.

    The row stays `pending`, so the periodic sweep re-enqueues it later.
    """
    from notifications.tasks import deliver_notification

    return _hand_to_worker(deliver_notification, notification_id, "notification")


def _hand_to_worker(task, object_id: int, what: str) -> bool:
    try:
        task.apply_async((object_id,), retry=False)
    except Exception:
        logger.warning(
            "Broker unavailable; %s %s stays pending for the re-delivery sweep", what, object_id, exc_info=True
        )
        return False
    return True


def _requeue_stale(pending, enqueue, *, older_than_seconds: float | None, limit: int) -> int:
    """Re-enqueue `pending` rows older than the grace period (the broker may have lost them)."""
    grace = older_than_seconds
    if grace is None:
        grace = settings.C2C_REDELIVERY_AFTER_SECONDS
    cutoff = timezone.now() - timedelta(seconds=grace)
    ids = list(pending.filter(created_at__lte=cutoff).order_by("created_at").values_list("pk", flat=True)[:limit])
    return sum(1 for object_id in ids if enqueue(object_id))


def _failure_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def absolute_url(path: str) -> str:
    if not path:
        return settings.SITE_URL + "/"
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def unsubscribe_url(*, user_id: int, kind: str = "", digest: str = "") -> str:
    token = make_unsubscribe_token(user_id=user_id, kind=kind, digest=digest)
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))


def _render_email(template: str, context: dict, *, to: str, unsubscribe: str) -> EmailMultiAlternatives:
    """Subject/text/HTML from `notifications/email/<template>_*`, with RFC 8058 one-click unsubscribe headers."""
    context = {
        **context,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "inbox_url": absolute_url(reverse("notifications:inbox")),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"notifications/email/{template}_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"notifications/email/{template}_body.html", context), "text/html")
    return message


def build_email(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    # An email that can't be turned off (account security) offers to stop all the others instead.
    fixed = is_fixed(notification.kind, Channel.EMAIL)
    context = {
        "notification": notification,
        "recipient": recipient,
        "action_url": absolute_url(notification.url),
        "unsubscribes_from_all": fixed,
    }
    return _render_email(
        "notification",
        context,
        to=recipient.email,
        unsubscribe=unsubscribe_url(user_id=recipient.pk, kind=ALL_KINDS if fixed else notification.kind),
    )


def deliver_email(*, notification_id: int) -> bool:
    """Send the notification's email if it is still pending; return True if this call sent it."""
    return _deliver_once(
        Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING),
        build=build_email,
        status_field="email_status",
        sent_field="email_sent_at",
    )


def _deliver_once(pending, *, build, status_field: str, sent_field: str, after_send=None, after_failing=None) -> bool:
    """Lock the email's row if it is still pending, send it and record that; on an error, record the attempt.

    The row lock plus the status check means a task re-delivered by the broker and the sweep can race
    without sending twice. After MAX_DELIVERY_ATTEMPTS failures the row is marked failed, for staff to see.
    """
    try:
        with transaction.atomic():
            row = pending.select_for_update(skip_locked=True, of=("self",)).select_related("recipient").first()
            if row is None:
                return False
            build(row).send()
            now = timezone.now()
            setattr(row, status_field, EmailStatus.SENT)
            setattr(row, sent_field, now)
            row.delivery_attempts += 1
            row.last_error = ""
            row.save(update_fields=[status_field, sent_field, "delivery_attempts", "last_error"])
            if after_send is not None:
                after_send(row, now)
            return True
    except Exception as error:
        # The send rolled back, so the row is still pending: count the attempt outside that transaction.
        row = pending.first()
        if row is not None:
            row.delivery_attempts += 1
            row.last_error = _failure_text(error)
            if row.delivery_attempts >= MAX_DELIVERY_ATTEMPTS:
                setattr(row, status_field, EmailStatus.FAILED)
                if after_failing is not None:
                    after_failing(row)
            row.save(update_fields=["delivery_attempts", "last_error", status_field])
        raise


def redeliver_pending(*, older_than_seconds: float | None = None, limit: int = 500) -> int:
    """Re-enqueue emails still pending after a grace period (the broker may have lost them)."""
    return _requeue_stale(
        Notification.objects.filter(email_status=EmailStatus.PENDING),
        enqueue_delivery,
        older_than_seconds=older_than_seconds,
        limit=limit,
    )


def mark_read(*, actor: User, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("Not your notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(*, actor: User) -> int:
    return selectors.notifications_for(actor).filter(read_at__isnull=True).update(read_at=timezone.now())


# --- Digests ---------------------------------------------------------------------


def send_digests(*, frequency: str) -> int:
    """One daily or weekly round; return how many digest emails it queued.

    In the inbox, every item that waited for this round appears at once (stamped with
    the same `shown_at`, so they sit together at the top). By email, each user with
    waiting items gets one digest. Running it twice, or on two workers at once, is
    safe: an item is claimed by exactly one digest (see `claim_digest`).
    """
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"Not a digest frequency: {frequency!r}")
    released = Notification.objects.filter(shown_at__isnull=True, inbox_frequency=frequency)
    people_changed(released.values_list("recipient_id", flat=True))
    released.update(shown_at=timezone.now())
    recipient_ids = list(
        _waiting_for_digest(frequency).order_by("recipient_id").values_list("recipient_id", flat=True).distinct()
    )
    return sum(1 for recipient_id in recipient_ids if claim_digest(recipient_id=recipient_id, frequency=frequency))


def _waiting_for_digest(frequency: str):
    return Notification.objects.filter(email_status=EmailStatus.DIGEST, email_frequency=frequency, digest__isnull=True)


def claim_digest(*, recipient_id: int, frequency: str) -> Digest | None:
    """Claim every unclaimed item of the user's digest into a new Digest row; send it after commit.

    Rows another worker is claiming are skipped (not waited for) and rows it already
    claimed no longer match, so no item lands in two digests and no digest is empty.
    """
    from accounts.models import User

    with transaction.atomic():
        claimed = list(
            _waiting_for_digest(frequency)
            .filter(recipient_id=recipient_id)
            .select_for_update(skip_locked=True)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
        )
        if not claimed:
            return None
        items = Notification.objects.filter(pk__in=claimed)
        recipient = User.objects.get(pk=recipient_id)
        if not (recipient.is_active and recipient.email):
            items.update(email_status=EmailStatus.SKIPPED)
            return None
        digest = Digest.objects.create(recipient=recipient, frequency=frequency, item_count=len(claimed))
        items.update(digest=digest)
        transaction.on_commit(lambda: enqueue_digest_delivery(digest.pk), robust=True)
    return digest


def enqueue_digest_delivery(digest_id: int) -> bool:
    """Hand the digest to the worker; a broker outage leaves it pending for the sweep."""
    from notifications.tasks import deliver_digest

    return _hand_to_worker(deliver_digest, digest_id, "digest")


def build_digest_email(digest: Digest, items: list[Notification]) -> EmailMultiAlternatives:
    context = {
        "digest": digest,
        "recipient": digest.recipient,
        "items": [{"notification": item, "action_url": absolute_url(item.url)} for item in items],
    }
    return _render_email(
        "digest",
        context,
        to=digest.recipient.email,
        unsubscribe=unsubscribe_url(user_id=digest.recipient_id, digest=digest.frequency),
    )


def deliver_digest(*, digest_id: int) -> bool:
    """Send the digest if it is still pending; return True if this call sent it."""
    return _deliver_once(
        Digest.objects.filter(pk=digest_id, status=EmailStatus.PENDING),
        build=lambda digest: build_digest_email(digest, list(digest.notifications.order_by("created_at", "pk"))),
        status_field="status",
        sent_field="sent_at",
        after_send=lambda digest, now: digest.notifications.update(email_status=EmailStatus.SENT, email_sent_at=now),
        after_failing=lambda digest: digest.notifications.update(email_status=EmailStatus.FAILED),
    )


def redeliver_pending_digests(*, older_than_seconds: float | None = None, limit: int = 500) -> int:
    """Re-enqueue digests still unsent after a grace period (lost by the broker, or the send failed)."""
    return _requeue_stale(
        Digest.objects.filter(status=EmailStatus.PENDING),
        enqueue_digest_delivery,
        older_than_seconds=older_than_seconds,
        limit=limit,
    )


# --- Preferences -----------------------------------------------------------------


def set_preferences(*, actor: User, frequencies: dict[tuple[str, str], str], source=PreferenceSource.PAGE) -> int:
    """Save `{(kind, channel): frequency}` for `user`; return how many choices changed.

    Only choices that differ from the default are stored. Fixed choices (account
    email) are ignored. Items already waiting for a digest follow the new choice
    (see `_reroute_waiting`).
    """
    with transaction.atomic():
        current = selectors.frequencies_for(actor)
        changed = {
            (kind, channel): frequency
            for (kind, channel), frequency in frequencies.items()
            if current.get((kind, channel)) not in (None, frequency) and not is_fixed(kind, channel)
        }
        if not changed:
            return 0
        back_to_default = [key for key, frequency in changed.items() if frequency == default_frequency(*key)]
        if back_to_default:
            NotificationPreference.objects.filter(_pairs(back_to_default), user=actor).delete()
        overrides = [
            NotificationPreference(user=actor, kind=kind, channel=channel, frequency=frequency, changed_via=source)
            for (kind, channel), frequency in changed.items()
            if (kind, channel) not in back_to_default
        ]
        if overrides:
            NotificationPreference.objects.bulk_create(
                overrides,
                update_conflicts=True,
                unique_fields=["user", "kind", "channel"],
                update_fields=["frequency", "changed_via", "updated_at"],
            )
        for (kind, channel), frequency in changed.items():
            _reroute_waiting(user=actor, kind=kind, channel=channel, frequency=frequency)
    return len(changed)


def _pairs(pairs) -> Q:
    return reduce(operator.or_, (Q(kind=kind, channel=channel) for kind, channel in pairs))


def _reroute_waiting(*, user: User, kind: str, channel, frequency: str) -> None:
    """Items still waiting for a digest follow a changed choice.

    "Off" drops them and another digest takes them over. In-app "right away" shows
    them now; email "right away" leaves them to the digest they were waiting for,
    rather than sending a burst of separate emails.
    """
    if channel == Channel.IN_APP:
        waiting = Notification.objects.filter(
            recipient=user, kind=kind, shown_at__isnull=True, inbox_frequency__in=DIGEST_FREQUENCIES
        )
        if frequency == Frequency.IMMEDIATE:
            waiting.update(inbox_frequency=frequency, shown_at=timezone.now())
        else:
            waiting.update(inbox_frequency=frequency)
        return
    waiting = Notification.objects.filter(
        recipient=user, kind=kind, email_status=EmailStatus.DIGEST, digest__isnull=True
    )
    if frequency == Frequency.OFF:
        waiting.update(email_frequency=frequency, email_status=EmailStatus.SKIPPED)
    elif frequency in DIGEST_FREQUENCIES:
        waiting.update(email_frequency=frequency)


def unsubscribe(*, actor: User, scope: UnsubscribeScope) -> list[str]:
    """Turn email off for what a one-click unsubscribe link covers; return the kinds it covered."""
    kinds = selectors.kinds_to_unsubscribe(actor, scope)
    set_preferences(
        actor=actor,
        frequencies={(kind, Channel.EMAIL): Frequency.OFF for kind in kinds},
        source=PreferenceSource.UNSUBSCRIBE,
    )
    return kinds

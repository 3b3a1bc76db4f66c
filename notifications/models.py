from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from notifications.enums import DIGEST_FREQUENCIES, Channel, EmailStatus, Frequency, Kind, PreferenceSource


class Digest(models.Model):
    """One digest email: every item a user's daily or weekly digest claimed, sent once.

    Items are claimed (their `digest` set) in the transaction that creates this row, so
    an item belongs to exactly one digest; the row stays `pending` until the email is
    sent, so the sweep can resend it if the broker lost the task or the send failed.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    item_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivery_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(item_count__gt=0), name="digest_never_empty"),
            models.CheckConstraint(condition=Q(frequency__in=DIGEST_FREQUENCIES), name="digest_frequency_valid"),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="digest_pending_idx", condition=Q(status="pending")),
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} for {self.recipient} ({self.item_count})"


class Notification(models.Model):
    """One thing a user should hear about: an inbox row first, then (maybe) an email.

    The row is written in the same transaction as the event, so the email can be
    (re)sent later from Postgres even if the broker lost the task.

    `email_frequency` and `inbox_frequency` record the user's preference when it was
    created. An in-app daily/weekly item has no `shown_at` until its digest goes out;
    then all of that digest's items appear in the inbox together, newest first by
    `shown_at`. With in-app off it is never shown but kept as a record.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Site path the notification links to.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    inbox_frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    shown_at = models.DateTimeField(
        null=True,
        blank=True,
        default=timezone.now,
        help_text="When it appeared in the inbox; empty while it waits for a digest, or if in-app is off.",
    )
    email_frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    email_status = models.CharField(max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    digest = models.ForeignKey(
        Digest,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="The digest email that carried it.",
    )
    email_sent_at = models.DateTimeField(null=True, blank=True)
    delivery_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_unread_idx"),
            models.Index(fields=["recipient", "-shown_at"], name="notif_inbox_idx"),
            models.Index(
                fields=["created_at"],
                name="notif_email_pending_idx",
                condition=Q(email_status="pending"),
            ),
            models.Index(
                fields=["email_frequency", "recipient"],
                name="notif_email_digest_idx",
                condition=Q(email_status="digest", digest__isnull=True),
            ),
            models.Index(
                fields=["inbox_frequency"],
                name="notif_inbox_digest_idx",
                condition=Q(shown_at__isnull=True, inbox_frequency__in=DIGEST_FREQUENCIES),
            ),
        ]

    def __str__(self):
        return f"{self.title} → {self.recipient}"

    @property
    def is_unread(self):
        return self.read_at is None


class NotificationPreference(models.Model):
    """A user's choice for one kind on one channel, stored only where it differs from the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    # Answers "I never turned that off!" from the admin.
    changed_via = models.CharField(max_length=16, choices=PreferenceSource.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "kind", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notif_pref_unique"),
        ]

    def __str__(self):
        channel = self.get_channel_display().lower()
        return f"{self.user}: {self.get_kind_display()} ({channel}) — {self.get_frequency_display()}"

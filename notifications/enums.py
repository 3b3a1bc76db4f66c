from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DIGEST = "digest", "Waiting for the digest"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not emailed"
    FAILED = "failed", "Gave up"


class Kind(models.TextChoices):
    """What a notification is about; later features add their own kinds here."""

    ACCOUNT = "account", "Your account"
    BUSINESS_REVIEW = "business_review", "Partner registrations to review"
    BUSINESS_DECISION = "business_decision", "Decisions on your organisation"
    PROJECT_REVIEW = "project_review", "Projects to review"
    PROJECT_DECISION = "project_decision", "Decisions on your projects"
    PROJECT_REPORT = "project_report", "Reported projects"
    NEW_APPLICATION = "new_application", "New applications to your projects"
    APPLICATION_REMINDER = "application_reminder", "Applicants waiting for an answer"
    APPLICATION_DECISION = "application_decision", "Decisions on your applications"
    OFFER_RESPONSE = "offer_response", "Students' answers to your offers"
    ENGAGEMENT = "engagement", "Work in progress: deliverables and messages"
    PAYMENT = "payment", "Payments"
    FEEDBACK = "feedback", "Feedback and references"
    PAYMENT_OVERDUE = "payment_overdue", "Overdue payments to chase"
    NEW_MATCH = "new_match", "New projects that match you"
    INVITATION = "invitation", "Invitations to apply"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In the app"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "Right away"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    OFF = "off", "Off"


class PreferenceSource(models.TextChoices):
    PAGE = "page", "Preferences page"
    UNSUBSCRIBE = "unsubscribe", "Unsubscribe link in an email"


# The frequencies that batch items into a digest.
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)

# Defaults for every user; a NotificationPreference row only stores where a user differs.
# Kinds missing here are sent right away on both channels.
DEFAULT_FREQUENCIES = {
    # Matches arrive in bursts whenever projects are published: one email a day is enough.
    Kind.NEW_MATCH: {Channel.EMAIL: Frequency.DAILY, Channel.IN_APP: Frequency.IMMEDIATE},
    # A nudge, not news: it can wait for the daily round-up.
    Kind.APPLICATION_REMINDER: {Channel.EMAIL: Frequency.DAILY, Channel.IN_APP: Frequency.IMMEDIATE},
}
IMMEDIATE_BOTH = {Channel.EMAIL: Frequency.IMMEDIATE, Channel.IN_APP: Frequency.IMMEDIATE}

# Security-related email always goes out right away; users can't change it.
FIXED_EMAIL_KINDS = {Kind.ACCOUNT: Frequency.IMMEDIATE}

# Which kinds each kind of user can receive, in the order the preferences page lists them.
STUDENT_KINDS = (
    Kind.NEW_MATCH,
    Kind.INVITATION,
    Kind.APPLICATION_DECISION,
    Kind.ENGAGEMENT,
    Kind.PAYMENT,
    Kind.FEEDBACK,
    Kind.ACCOUNT,
)
BUSINESS_KINDS = (
    Kind.NEW_APPLICATION,
    Kind.APPLICATION_REMINDER,
    Kind.OFFER_RESPONSE,
    Kind.PROJECT_DECISION,
    Kind.BUSINESS_DECISION,
    Kind.ENGAGEMENT,
    Kind.PAYMENT,
    Kind.FEEDBACK,
    Kind.ACCOUNT,
)
STAFF_KINDS = (
    Kind.BUSINESS_REVIEW,
    Kind.PROJECT_REVIEW,
    Kind.PROJECT_REPORT,
    Kind.PAYMENT_OVERDUE,
    Kind.ACCOUNT,
)


def default_frequency(kind, channel) -> str:
    return DEFAULT_FREQUENCIES.get(kind, IMMEDIATE_BOTH)[channel]


def is_fixed(kind, channel) -> bool:
    return channel == Channel.EMAIL and kind in FIXED_EMAIL_KINDS

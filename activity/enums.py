from django.db import models


class Verb(models.TextChoices):
    """What happened to the target. A state move is always STATUS_CHANGED, with its from and to states."""

    STATUS_CHANGED = "status_changed", "Status changed"
    WORK_HANDED_IN = "work_handed_in", "Work handed in"
    WORK_REVIEWED = "work_reviewed", "Work reviewed"
    PAYMENT_SENT = "payment_sent", "Payment sent"
    PAYMENT_RECEIVED = "payment_received", "Payment received"
    FEEDBACK_LEFT = "feedback_left", "Feedback left"
    SUSPENDED = "suspended", "Suspended"
    REINSTATED = "reinstated", "Reinstated"

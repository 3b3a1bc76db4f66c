import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from businesses.models import Business
from c2c.states import HasState
from c2c.storage import private_storage
from engagements.enums import (
    ENGAGEMENT_STATUS_TONES,
    SUBMISSION_STATUS_TONES,
    EngagementStatus,
    FeedbackDirection,
    SubmissionStatus,
)
from projects.models import Application, Deliverable, Project


def submission_path(submission, filename):
    extension = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"submissions/{submission.engagement_id}/{secrets.token_hex(16)}.{extension}"


class Engagement(HasState, models.Model):
    """An accepted application while the work happens, through completion, payment and feedback."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="engagement")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="engagements")
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="engagements")
    # Null once the student deletes their account; the business keeps an anonymised record.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="engagements"
    )
    status = models.CharField(max_length=16, choices=EngagementStatus.choices, default=EngagementStatus.ACTIVE)
    STATES, STATUS_TONES = EngagementStatus, ENGAGEMENT_STATUS_TONES
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    payment_sent_at = models.DateTimeField("business confirmed payment", null=True, blank=True)
    payment_received_at = models.DateTimeField("student confirmed receipt", null=True, blank=True)
    payment_overdue_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.project} with {self.student or 'a deleted student'}"

    def get_absolute_url(self):
        return reverse("engagements:detail", args=[self.pk])

    @property
    def is_paid(self) -> bool:
        return self.payment_sent_at is not None and self.payment_received_at is not None


class DeliverableSubmission(HasState, models.Model):
    """One hand-in of a deliverable: a link or a file, with a note; the business accepts or asks for changes."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="submissions")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="submissions")
    link = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to=submission_path, storage=private_storage, blank=True, max_length=200)
    filename = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED)
    STATES, STATUS_TONES = SubmissionStatus, SUBMISSION_STATUS_TONES
    review_note = models.TextField(blank=True, max_length=2000)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.deliverable} ({self.get_status_display()})"


class Message(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message on {self.engagement_id} by {self.author}"


class Feedback(models.Model):
    """Two-way feedback, hidden from the other side until both have written or the reveal period passed."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="feedback")
    direction = models.CharField(max_length=24, choices=FeedbackDirection.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(max_length=2000)
    is_reference = models.BooleanField(
        "offer this as a reference", default=False, help_text="Shown on the student's portfolio."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "direction"], name="one_feedback_each_way"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="rating_one_to_five"),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} on {self.engagement_id}: {self.rating}/5"

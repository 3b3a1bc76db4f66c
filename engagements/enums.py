from django.db import models


class EngagementStatus(models.TextChoices):
    ACTIVE = "active", "Work in progress"
    COMPLETED = "completed", "Completed"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class FeedbackDirection(models.TextChoices):
    BUSINESS_TO_STUDENT = "business_to_student", "From the business"
    STUDENT_TO_BUSINESS = "student_to_business", "From the student"


ENGAGEMENT_STATUS_TONES = {EngagementStatus.ACTIVE: "primary", EngagementStatus.COMPLETED: "success"}
SUBMISSION_STATUS_TONES = {
    SubmissionStatus.ACCEPTED: "success",
    SubmissionStatus.CHANGES_REQUESTED: "warning",
    SubmissionStatus.SUBMITTED: "info",
}

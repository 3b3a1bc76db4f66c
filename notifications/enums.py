from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
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

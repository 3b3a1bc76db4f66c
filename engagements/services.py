"""Writes for engagements: starting the work, deliverables, messages, completion, payment and feedback."""

from django.utils import timezone

from engagements.models import Engagement


def start_engagement(*, application) -> Engagement:
    """Open the engagement for an application that was just accepted (called inside its transaction)."""
    engagement, _ = Engagement.objects.get_or_create(
        application=application,
        defaults={
            "project": application.project,
            "business": application.project.business,
            "student": application.student,
            "started_at": timezone.now(),
        },
    )
    return engagement

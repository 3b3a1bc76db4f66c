"""A student's portfolio: their completed, paid work with the feedback they chose to show."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from catalogue.models import Skill
from engagements.enums import EngagementStatus, FeedbackDirection, SubmissionStatus
from engagements.models import DeliverableSubmission, Engagement, Feedback
from engagements.selectors import feedback_revealed
from students.models import StudentProfile


@dataclass(frozen=True)
class PortfolioEntry:
    project_title: str
    business_name: str
    started_at: datetime
    completed_at: datetime | None
    hours: int
    skills: list[str]
    deliverables: list[str]
    reference: Feedback | None


def portfolio_entries(student) -> list[PortfolioEntry]:
    """One entry per completed engagement, newest first, in four queries however many there are."""
    engagements = (
        Engagement.objects.filter(student=student, status=EngagementStatus.COMPLETED)
        .select_related("project", "business")
        .prefetch_related(
            Prefetch("project__required_skills", queryset=Skill.objects.only("name")),
            Prefetch(
                "submissions",
                queryset=DeliverableSubmission.objects.filter(status=SubmissionStatus.ACCEPTED)
                .select_related("deliverable")
                .order_by("deliverable__position", "pk"),
                to_attr="accepted_submissions",
            ),
            "feedback",
        )
        .order_by("-completed_at", "-pk")
    )
    now = timezone.now()
    entries = []
    for engagement in engagements:
        feedback = list(engagement.feedback.all())
        reference = next(
            (
                item
                for item in feedback
                if item.direction == FeedbackDirection.BUSINESS_TO_STUDENT and item.is_reference
            ),
            None,
        )
        if reference is not None and not feedback_revealed(engagement, now=now):
            reference = None
        titles = list(dict.fromkeys(item.deliverable.title for item in engagement.accepted_submissions))
        project = engagement.project
        entries.append(
            PortfolioEntry(
                project_title=project.title,
                business_name=engagement.business.name,
                started_at=engagement.started_at,
                completed_at=engagement.completed_at,
                hours=project.total_hours,
                skills=[skill.name for skill in project.required_skills.all()],
                deliverables=titles,
                reference=reference,
            )
        )
    return entries


def public_portfolio_or_404(token) -> StudentProfile:
    return get_object_or_404(
        StudentProfile.objects.select_related("user"), portfolio_token=token, portfolio_public=True
    )

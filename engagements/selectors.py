"""Reads of engagements, scoped to who is asking: anything outside that scope is a 404."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from businesses.selectors import business_for
from engagements.enums import EngagementStatus, FeedbackDirection, SubmissionStatus
from engagements.models import DeliverableSubmission, Engagement, Feedback, Message
from projects.models import Deliverable


class Side(StrEnum):
    STUDENT = "student"
    BUSINESS = "business"


FEEDBACK_DIRECTION_OF = {
    Side.STUDENT: FeedbackDirection.STUDENT_TO_BUSINESS,
    Side.BUSINESS: FeedbackDirection.BUSINESS_TO_STUDENT,
}


def side_of(engagement: Engagement, user: User) -> Side | None:
    """Which side of the engagement the user is on: the student, a member of the business, or neither."""
    if not user.is_authenticated:
        return None
    if engagement.student_id is not None and engagement.student_id == user.pk:
        return Side.STUDENT
    business = business_for(user)
    if business is not None and business.pk == engagement.business_id:
        return Side.BUSINESS
    return None


def engagements_for(user: User):
    """The student's own engagements, the business's engagements for its members, everything for staff."""
    if not user.is_authenticated:
        return Engagement.objects.none()
    if user.is_staff:
        return Engagement.objects.all()
    business = business_for(user)
    if business is not None:
        return Engagement.objects.filter(business=business)
    return Engagement.objects.filter(student=user)


def engagement_list_for(user: User):
    """The list page: one query, with each engagement's progress on its deliverables."""
    return (
        engagements_for(user)
        .select_related("project", "business", "student")
        .annotate(
            deliverable_count=Count("project__deliverables", distinct=True),
            accepted_count=Count(
                "submissions__deliverable",
                filter=Q(submissions__status=SubmissionStatus.ACCEPTED),
                distinct=True,
            ),
        )
        .order_by("-started_at", "-pk")
    )


def engagement_for_user_or_404(user: User, pk: int) -> Engagement:
    """One engagement with everything its page shows, or a 404 for anyone who is not on it (staff may look)."""
    queryset = engagements_for(user).select_related("project", "business", "student")
    queryset = queryset.prefetch_related(
        Prefetch("project__deliverables", queryset=Deliverable.objects.order_by("position")),
        Prefetch("submissions", queryset=DeliverableSubmission.objects.order_by("-submitted_at", "-pk")),
        Prefetch("messages", queryset=Message.objects.select_related("author").order_by("created_at", "pk")),
        Prefetch("feedback", queryset=Feedback.objects.order_by("created_at")),
    )
    return get_object_or_404(queryset, pk=pk)


def submission_for_user_or_404(user: User, pk: int) -> DeliverableSubmission:
    """A submission of an engagement the user may see (its student, its business's members, staff)."""
    queryset = DeliverableSubmission.objects.filter(engagement__in=engagements_for(user))
    return get_object_or_404(
        queryset.select_related("engagement__project", "engagement__business", "engagement__student", "deliverable"),
        pk=pk,
    )


def latest_submissions(engagement: Engagement) -> dict[int, DeliverableSubmission]:
    """The newest submission of each deliverable, keyed by deliverable id."""
    latest = {}
    for submission in sorted(engagement.submissions.all(), key=lambda s: (s.submitted_at, s.pk), reverse=True):
        latest.setdefault(submission.deliverable_id, submission)
    return latest


@dataclass
class ChecklistRow:
    deliverable: Deliverable
    latest: DeliverableSubmission | None
    earlier: list[DeliverableSubmission] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.latest.status if self.latest else "none"

    @property
    def tone(self) -> str:
        """The badge colour of the deliverable's state; a plain outline before anything is handed in."""
        return self.latest.status_tone if self.latest else "light border"

    @property
    def state_label(self) -> str:
        return self.latest.get_status_display() if self.latest else "Not handed in yet"

    @property
    def is_accepted(self) -> bool:
        return self.state == SubmissionStatus.ACCEPTED


def deliverable_checklist(engagement: Engagement) -> list[ChecklistRow]:
    """The project's deliverables in order, each with its latest submission and the earlier ones."""
    rows = {deliverable.pk: ChecklistRow(deliverable, None) for deliverable in engagement.project.deliverables.all()}
    for submission in sorted(engagement.submissions.all(), key=lambda s: (s.submitted_at, s.pk), reverse=True):
        row = rows.get(submission.deliverable_id)
        if row is None:
            continue
        if row.latest is None:
            row.latest = submission
        else:
            row.earlier.append(submission)
    return list(rows.values())


def feedback_reveal_at(engagement: Engagement):
    if engagement.completed_at is None:
        return None
    return engagement.completed_at + timedelta(days=settings.C2C_FEEDBACK_REVEAL_DAYS)


def feedback_revealed(engagement: Engagement, now: datetime | None = None) -> bool:
    """Both sides wrote theirs, or the reveal period since completion has passed."""
    if len({feedback.direction for feedback in engagement.feedback.all()}) == len(FeedbackDirection):
        return True
    reveal_at = feedback_reveal_at(engagement)
    return reveal_at is not None and (now or timezone.now()) >= reveal_at


def visible_feedback(engagement: Engagement, user: User) -> list[Feedback]:
    """The feedback this user may read: always their own side's; the other side's once revealed; all for staff."""
    feedback = list(engagement.feedback.all())
    if user.is_authenticated and user.is_staff:
        return feedback
    side = side_of(engagement, user)
    if side is None:
        return []
    if feedback_revealed(engagement):
        return feedback
    return [item for item in feedback if item.direction == FEEDBACK_DIRECTION_OF[side]]


def overdue_payments(now: datetime | None = None):
    """Completed engagements whose payment is not confirmed by both sides after the overdue period."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.C2C_PAYMENT_OVERDUE_DAYS)
    return Engagement.objects.filter(status=EngagementStatus.COMPLETED, completed_at__lte=cutoff).filter(
        Q(payment_sent_at__isnull=True) | Q(payment_received_at__isnull=True)
    )

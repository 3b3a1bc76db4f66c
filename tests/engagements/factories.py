import factory
from django.utils import timezone

from engagements.enums import EngagementStatus, SubmissionStatus
from engagements.models import DeliverableSubmission, Engagement
from projects.enums import ApplicationStatus, ProjectStatus
from tests.projects.factories import ApplicationFactory, ProjectFactory

DELIVERABLES = ["Content calendar", "Two weeks of posts", "Results report"]


class EngagementFactory(factory.django.DjangoModelFactory):
    """An accepted application on an in-progress project with three deliverables, and its engagement.

    Override the deliverables with project__deliverables=[...titles]; `completed=True` finishes the work.
    """

    class Meta:
        model = Engagement

    class Params:
        completed = factory.Trait(status=EngagementStatus.COMPLETED, completed_at=factory.LazyFunction(timezone.now))

    project = factory.SubFactory(
        ProjectFactory, status=ProjectStatus.IN_PROGRESS, deliverables=DELIVERABLES, indexed=False
    )
    application = factory.SubFactory(
        ApplicationFactory, project=factory.SelfAttribute("..project"), status=ApplicationStatus.ACCEPTED
    )
    business = factory.SelfAttribute("project.business")
    student = factory.SelfAttribute("application.student")
    started_at = factory.LazyFunction(timezone.now)


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliverableSubmission

    engagement = factory.SubFactory(EngagementFactory)
    deliverable = factory.LazyAttribute(lambda o: o.engagement.project.deliverables.order_by("position").first())
    link = "https://docs.example.org/work"
    note = "Here it is."
    status = SubmissionStatus.SUBMITTED


def accept_all(engagement):
    """Every deliverable of the engagement handed in and accepted."""
    for deliverable in engagement.project.deliverables.all():
        SubmissionFactory(
            engagement=engagement,
            deliverable=deliverable,
            status=SubmissionStatus.ACCEPTED,
            reviewed_at=timezone.now(),
        )

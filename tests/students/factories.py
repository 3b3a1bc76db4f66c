from datetime import timedelta
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from engagements.enums import EngagementStatus, FeedbackDirection, SubmissionStatus
from engagements.models import DeliverableSubmission, Engagement, Feedback
from projects.enums import ApplicationStatus, ProjectStatus
from students.enums import LocationPreference, SchoolType, SkillLevel
from students.models import AvailabilityWindow, StudentProfile, StudentSkill
from tests.factories import UserFactory


class StudentProfileFactory(factory.django.DjangoModelFactory):
    """A complete profile: 15 hours a week, available for the next six months, remote.

    Pass skills as a list of Skill (intermediate level) or of (Skill, level) pairs, interests as a list,
    and windows as a list of (starts_on, ends_on) pairs to replace the default window.
    """

    class Meta:
        model = StudentProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    school = "Sinclair Community College"
    school_type = SchoolType.COMMUNITY_COLLEGE
    programme = "Business Administration"
    graduation_year = factory.LazyFunction(lambda: timezone.localdate().year + 1)
    bio = "I work part-time in retail and want experience in marketing."
    hours_per_week = 15
    location_preference = LocationPreference.REMOTE
    city = "Dayton"
    state = "OH"
    onboarding_completed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            for item in extracted:
                skill, level = item if isinstance(item, tuple) else (item, SkillLevel.INTERMEDIATE)
                StudentSkill.objects.create(profile=obj, skill=skill, level=level)

    @factory.post_generation
    def interests(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.interests.set(extracted)

    @factory.post_generation
    def windows(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            today = timezone.localdate()
            extracted = [(today, today + timedelta(days=183))]
        for starts_on, ends_on in extracted:
            AvailabilityWindow.objects.create(profile=obj, starts_on=starts_on, ends_on=ends_on)


def student(**profile_kwargs):
    """A verified student user with a complete profile."""
    return StudentProfileFactory(**profile_kwargs).user


def pdf_bytes(*, pages: int = 1, padding: int = 0, change=None) -> bytes:
    """A well-formed PDF written by pypdf with `pages` blank pages.

    `padding` adds that many bytes of metadata to make it bigger; `change(writer)` may alter it before writing.
    """
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    if padding:
        writer.add_metadata({"/Padding": "x" * padding})
    if change is not None:
        change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name="Ana Lopez CV.pdf", content=None):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type="application/pdf")


def completed_engagement(
    *, student, project=None, accepted=(), pending=(), reference=None, student_feedback=True, status="completed"
):
    """An engagement of `student` on `project` (a new one if None), with its application.

    `accepted` and `pending` are deliverable titles submitted and accepted / still waiting;
    `reference` is (rating, comment) for feedback from the business offered as a reference.
    """
    from tests.projects.factories import ApplicationFactory, ProjectFactory

    project = project or ProjectFactory(deliverables=[*accepted, *pending], status=ProjectStatus.COMPLETED)
    application = ApplicationFactory(project=project, student=student, status=ApplicationStatus.ACCEPTED)
    started_at = timezone.now() - timedelta(days=40)
    engagement = Engagement.objects.create(
        application=application,
        project=project,
        business=project.business,
        student=student,
        started_at=started_at,
        status=status,
        completed_at=started_at + timedelta(days=28) if status == EngagementStatus.COMPLETED else None,
    )
    deliverables = {item.title: item for item in project.deliverables.all()}
    for title in accepted:
        DeliverableSubmission.objects.create(
            engagement=engagement,
            deliverable=deliverables[title],
            link="https://example.org/work",
            status=SubmissionStatus.ACCEPTED,
        )
    for title in pending:
        DeliverableSubmission.objects.create(
            engagement=engagement, deliverable=deliverables[title], link="https://example.org/draft"
        )
    if reference is not None:
        rating, comment = reference
        Feedback.objects.create(
            engagement=engagement,
            direction=FeedbackDirection.BUSINESS_TO_STUDENT,
            rating=rating,
            comment=comment,
            is_reference=True,
        )
    if student_feedback:
        Feedback.objects.create(
            engagement=engagement,
            direction=FeedbackDirection.STUDENT_TO_BUSINESS,
            author=student,
            rating=5,
            comment="A kind, well-organised team.",
        )
    return engagement

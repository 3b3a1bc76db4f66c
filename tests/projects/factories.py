from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from catalogue.enums import InterestKind
from catalogue.models import Interest, Skill
from projects.enums import ApplicationStatus, Category, LocationMode, ProjectStatus
from projects.models import Application, Deliverable, Project
from projects.services import refresh_search_document
from tests.factories import BusinessFactory
from tests.students.factories import StudentProfileFactory


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test skill {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    group = "Testing"


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test interest {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = InterestKind.CAUSE


class ProjectFactory(factory.django.DjangoModelFactory):
    """A published project: 40 hours over 4 weeks for $1,200, i.e. $30 an hour.

    Pass required_skills / nice_to_have_skills / interests / deliverables (a list of titles) as lists;
    the search document is refreshed afterwards, as the services do (indexed=False skips it).
    """

    class Meta:
        model = Project
        skip_postgeneration_save = True

    business = factory.SubFactory(BusinessFactory)
    title = factory.Sequence(lambda n: f"Project number {n}")
    summary = "Help a local organisation with a short, paid piece of work."
    description = "You will work with the owner for a few weeks and hand over finished work."
    category = Category.MARKETING
    duration_weeks = 4
    hours_per_week = 10
    apply_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    earliest_start = factory.LazyAttribute(lambda o: o.apply_by + timedelta(days=7))
    location_mode = LocationMode.REMOTE
    fee = Decimal("1200.00")
    status = ProjectStatus.PUBLISHED
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == ProjectStatus.PUBLISHED else None)

    @factory.post_generation
    def required_skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.required_skills.set(extracted)

    @factory.post_generation
    def nice_to_have_skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.nice_to_have_skills.set(extracted)

    @factory.post_generation
    def interests(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.interests.set(extracted)

    @factory.post_generation
    def deliverables(obj, create, extracted, **kwargs):
        if create and extracted:
            Deliverable.objects.bulk_create(
                Deliverable(project=obj, position=position, title=title) for position, title in enumerate(extracted)
            )

    # Declared last so it runs after the skills are saved.
    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            refresh_search_document(obj)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application from a student with a complete profile."""

    class Meta:
        model = Application

    project = factory.SubFactory(ProjectFactory)
    student = factory.LazyFunction(lambda: StudentProfileFactory().user)
    cover_note = "I have run social media for my church group and would love to help."
    confirmed_availability = True
    status = ApplicationStatus.SUBMITTED
    status_changed_at = factory.LazyFunction(timezone.now)

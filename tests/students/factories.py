from datetime import timedelta

import factory
from django.utils import timezone

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

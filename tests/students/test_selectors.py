from datetime import timedelta

import pytest
from django.utils import timezone

from students.completeness import completeness, first_incomplete_step
from students.enums import OnboardingStep, SchoolType
from students.models import StudentProfile
from students.presenters import public_profile_fields
from tests.projects.factories import InterestFactory, SkillFactory
from tests.students.factories import StudentProfileFactory


def full_profile(**overrides):
    fields = {
        "school": "Sinclair Community College",
        "school_type": SchoolType.COMMUNITY_COLLEGE,
        "programme": "Accounting",
        "graduation_year": 2027,
        "bio": "Evening student, parent of two.",
        "hours_per_week": 10,
        "city": "Dayton",
        "state": "OH",
        "portfolio_url": "https://ana.example.org",
        "resume": "resumes/1/abc.pdf",
    }
    fields.update(overrides)
    return StudentProfile(**fields)


COUNTS = {"skill_count": 3, "interest_count": 2, "window_count": 1}


def test_an_empty_profile_is_at_zero_and_asks_for_everything_matching_needs():
    meter = completeness(StudentProfile(), skill_count=0, interest_count=0, window_count=0)

    assert meter.percent == 0
    # The default preference is remote work, so a city is an optional extra, not a need.
    assert [check.key for check in meter.missing_for_matching] == ["skills", "interests", "hours", "windows"]
    assert [check.key for check in meter.missing_required] == ["school", "skills", "interests", "hours", "windows"]
    assert len(meter.missing) == 10


def test_a_student_who_can_work_in_person_needs_a_city_for_matching():
    meter = completeness(StudentProfile(location_preference="hybrid"), skill_count=0, interest_count=0, window_count=0)

    assert "location" in [check.key for check in meter.missing_for_matching]
    assert "location" in [check.key for check in meter.missing_required]
    hybrid_with_city = completeness(full_profile(location_preference="hybrid", state=""), **COUNTS)
    assert hybrid_with_city.missing_required == []


def test_a_full_profile_is_at_100_with_nothing_missing():
    meter = completeness(full_profile(), **COUNTS)

    assert meter.percent == 100
    assert meter.is_complete
    assert meter.missing == []


@pytest.mark.parametrize(
    ("overrides", "counts", "percent", "missing"),
    [
        ({}, {"skill_count": 0}, 80, "skills"),
        ({}, {"interest_count": 0}, 90, "interests"),
        ({"hours_per_week": None}, {}, 85, "hours"),
        ({}, {"window_count": 0}, 85, "windows"),
        ({"state": ""}, {}, 95, "location"),
        ({"resume": ""}, {}, 95, "resume"),
        ({"portfolio_url": ""}, {}, 95, "links"),
        ({"bio": "   "}, {}, 95, "bio"),
        ({"school_type": ""}, {}, 90, "school"),
    ],
)
def test_each_missing_part_costs_its_weight_and_is_prompted(overrides, counts, percent, missing):
    meter = completeness(full_profile(**overrides), **(COUNTS | counts))

    assert meter.percent == percent
    assert [check.key for check in meter.missing] == [missing]


@pytest.mark.django_db
def test_onboarding_resumes_at_the_first_step_still_missing_something():
    profile = StudentProfileFactory(onboarding_completed_at=None)
    assert first_incomplete_step(profile) == OnboardingStep.SKILLS

    profile.skills.create(skill=SkillFactory())
    profile.interests.add(InterestFactory())
    assert first_incomplete_step(profile) == OnboardingStep.LINKS

    # Dates that have all passed don't count as availability.
    yesterday = timezone.localdate() - timedelta(days=1)
    profile.availability.update(starts_on=yesterday - timedelta(days=30), ends_on=yesterday)
    assert first_incomplete_step(profile) == OnboardingStep.AVAILABILITY


@pytest.mark.django_db
def test_what_a_business_sees_has_no_email_or_resume():
    profile = StudentProfileFactory(
        user__full_name="Ana Lopez",
        skills=[(SkillFactory(name="Canva"), "advanced")],
        interests=[InterestFactory(name="Food security")],
        linkedin_url="https://www.linkedin.com/in/ana",
    )

    fields = public_profile_fields(profile)

    assert fields["name"] == "Ana Lopez"
    assert fields["skills"] == [{"name": "Canva", "level": "advanced", "level_label": "Advanced"}]
    assert fields["interests"] == ["Food security"]
    assert fields["hours_per_week"] == 15
    assert fields["links"] == {"LinkedIn": "https://www.linkedin.com/in/ana"}
    assert profile.user.email not in str(fields)
    assert "resume" not in fields

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from businesses.enums import BusinessStatus
from businesses.models import Business
from projects.enums import ProjectStatus
from projects.models import Project, ProjectTemplate

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_is_idempotent_and_prints_the_logins(client):
    first = seed()
    counts = (User.objects.count(), Business.objects.count(), Project.objects.count())
    second = seed()

    assert (User.objects.count(), Business.objects.count(), Project.objects.count()) == counts
    assert "(0 new rows)" in second
    for email in ["staff@demo.c2c.local", "student@demo.c2c.local", "owner@demo.c2c.local"]:
        assert email in first
    assert client.login(email="owner@demo.c2c.local", password="demo-pass-2026")


def test_seed_demo_covers_the_review_queues_and_the_catalogue():
    seed()
    assert Business.objects.filter(status=BusinessStatus.PENDING).count() == 1
    assert Business.objects.filter(status=BusinessStatus.APPROVED).count() >= 3
    published = Project.objects.filter(status=ProjectStatus.PUBLISHED)
    assert published.values("category").distinct().count() >= 5
    assert Project.objects.filter(status=ProjectStatus.SUBMITTED).count() == 1
    assert ProjectTemplate.objects.count() >= 6


def test_seed_demo_gives_the_demo_student_a_profile_and_an_application_to_answer():
    seed()
    seed()
    maya = User.objects.get(email="student@demo.c2c.local")
    assert maya.student_profile.onboarding_completed_at is not None
    assert maya.student_profile.skills.count() == 3
    application = maya.applications.get()
    assert application.project.business.memberships.filter(user__email="owner@demo.c2c.local").exists()

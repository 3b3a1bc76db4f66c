import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from businesses.enums import BusinessStatus
from businesses.models import Business
from projects.enums import ProjectStatus
from projects.models import Project, ProjectTemplate
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DEMO_LOGINS = ["staff@demo.c2c.local", "student@demo.c2c.local", "owner@demo.c2c.local"]


@pytest.fixture
def local_demo(settings):
    settings.DEBUG = True


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict:
    return dict(re.findall(r"(\S+@demo\.c2c\.local)  password: (\S+)", output))


def test_with_debug_off_it_refuses_without_the_flag_and_creates_nothing(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--random-passwords"):
        seed()

    assert not User.objects.exists()


def test_with_debug_off_no_login_has_a_password_anyone_could_know(settings, client):
    settings.DEBUG = False

    output = seed("--random-passwords")

    passwords = printed_passwords(output)
    assert sorted(passwords) == sorted(DEMO_LOGINS)
    assert len(set(passwords.values())) == 3
    assert all(len(password) >= 20 for password in passwords.values())
    assert "demo-pass-2026" not in output
    for user in User.objects.all():
        for known in ["demo-pass-2026", PASSWORD, "", "password", user.email]:
            assert not user.check_password(known), user.email
        if user.email in passwords:
            assert user.check_password(passwords[user.email])
        else:
            assert not user.has_usable_password(), user.email
    assert client.login(email="owner@demo.c2c.local", password=passwords["owner@demo.c2c.local"])


def test_random_passwords_are_shown_once_and_differ_from_one_database_to_the_next(settings):
    settings.DEBUG = False
    first = printed_passwords(seed("--random-passwords"))

    again = seed("--random-passwords")

    assert "(0 new rows)" in again
    assert not any(password in again for password in first.values())
    assert "(unchanged" in again
    assert User.objects.get(email="student@demo.c2c.local").check_password(first["student@demo.c2c.local"])
    User.objects.all().delete()
    fresh = printed_passwords(seed("--random-passwords"))
    assert not set(fresh.values()) & set(first.values())


def test_seed_demo_is_idempotent_and_prints_the_logins(client, local_demo):
    first = seed()
    counts = (User.objects.count(), Business.objects.count(), Project.objects.count())
    second = seed()

    assert (User.objects.count(), Business.objects.count(), Project.objects.count()) == counts
    assert "(0 new rows)" in second
    assert printed_passwords(first) == dict.fromkeys(DEMO_LOGINS, "demo-pass-2026")
    assert client.login(email="owner@demo.c2c.local", password="demo-pass-2026")


def test_seed_demo_covers_the_review_queues_and_the_catalogue(local_demo):
    seed()
    assert Business.objects.filter(status=BusinessStatus.PENDING).count() == 1
    assert Business.objects.filter(status=BusinessStatus.APPROVED).count() >= 3
    published = Project.objects.filter(status=ProjectStatus.PUBLISHED)
    assert published.values("category").distinct().count() >= 5
    assert Project.objects.filter(status=ProjectStatus.SUBMITTED).count() == 1
    assert ProjectTemplate.objects.count() >= 6


def test_seed_demo_gives_the_demo_student_a_profile_and_an_application_to_answer(local_demo):
    seed()
    seed()
    maya = User.objects.get(email="student@demo.c2c.local")
    assert maya.student_profile.onboarding_completed_at is not None
    assert maya.student_profile.skills.count() == 3
    application = maya.applications.get()
    assert application.project.business.memberships.filter(user__email="owner@demo.c2c.local").exists()

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from students.models import StudentProfile
from tests.factories import PASSWORD, BusinessOwnerFactory, UserFactory
from tests.helpers import availability_data, school_data, step_url
from tests.projects.factories import InterestFactory, SkillFactory
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

SETUP = reverse("students:onboarding")
TODAY = timezone.localdate()


@pytest.fixture
def student_client(client):
    user = UserFactory(full_name="Ana Lopez")
    client.force_login(user)
    client.user = user
    return client


def test_a_new_student_gets_a_profile_and_starts_at_the_school_step(student_client):
    response = student_client.get(SETUP)

    assert response.status_code == 200
    assert StudentProfile.objects.filter(user=student_client.user).exists()
    content = response.content.decode()
    assert "Step 1 of 5" in content
    assert 'name="school"' in content


def test_the_whole_onboarding_saves_each_step_and_moves_to_the_next(student_client):
    design = SkillFactory(name="Canva", group="Design")
    sheets = SkillFactory(name="Spreadsheets", group="Data")
    food = InterestFactory(name="Food security", kind="cause")
    retail = InterestFactory(name="Retail", kind="industry")

    response = student_client.post(step_url("school"), school_data())
    assert response["Location"] == step_url("skills")

    response = student_client.post(
        step_url("skills"), {f"skill_{design.pk}": "beginner", f"skill_{sheets.pk}": "advanced"}
    )
    assert response["Location"] == step_url("interests")

    response = student_client.post(step_url("interests"), {"industries": [retail.pk], "causes": [food.pk]})
    assert response["Location"] == step_url("availability")

    response = student_client.post(step_url("availability"), availability_data())
    assert response["Location"] == step_url("links")

    response = student_client.post(
        step_url("links"), {"linkedin_url": "linkedin.com/in/ana-lopez", "discoverable": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("students:profile")
    assert "Your profile is ready" in response.content.decode()

    profile = StudentProfile.objects.get(user=student_client.user)
    assert profile.school == "Sinclair Community College"
    assert profile.graduation_year == TODAY.year + 1
    assert {(item.skill.name, item.level) for item in profile.skills.all()} == {
        ("Canva", "beginner"),
        ("Spreadsheets", "advanced"),
    }
    assert set(profile.interests.all()) == {food, retail}
    assert profile.hours_per_week == 12
    assert profile.location_preference == "hybrid"
    assert [(w.starts_on, w.ends_on) for w in profile.availability.all()] == [(TODAY, TODAY + timedelta(days=90))]
    assert profile.linkedin_url == "https://linkedin.com/in/ana-lopez"
    assert profile.discoverable is True
    assert profile.portfolio_public is False
    assert profile.onboarding_completed_at is not None
    # Finishing the set-up and "complete" agree; what's left is named as optional.
    assert "Your profile is complete" in response.content.decode()
    assert "Optional extras help businesses choose you (1 of 4 still to add)" in response.content.decode()
    assert "Upload your résumé as a PDF." in response.content.decode()
    assert "% complete" not in response.content.decode()


def test_save_and_finish_later_keeps_the_work_and_setup_resumes_where_it_stopped(student_client):
    response = student_client.post(step_url("school"), school_data(finish_later="1"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("students:profile")
    assert "Pick up where you left off" in response.content.decode()
    assert StudentProfile.objects.get(user=student_client.user).school == "Sinclair Community College"

    response = student_client.get(SETUP)
    assert "Step 2 of 5" in response.content.decode()
    assert response.context["step"] == "skills"


def test_finishing_the_last_step_with_an_earlier_step_missing_sends_the_student_back_to_it(student_client):
    student_client.post(step_url("school"), school_data())

    response = student_client.post(step_url("links"), {}, follow=True)

    assert response.redirect_chain[-1][0] == step_url("skills")
    assert "still missing" in response.content.decode()
    assert StudentProfile.objects.get(user=student_client.user).onboarding_completed_at is None


def test_editing_one_step_of_a_finished_profile_returns_to_the_profile(client):
    profile = StudentProfileFactory(skills=[SkillFactory()], interests=[InterestFactory()])
    client.force_login(profile.user)

    assert client.get(SETUP, follow=True).redirect_chain[-1][0] == reverse("students:profile")

    response = client.post(step_url("school"), school_data(school="Wright State University"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("students:profile")
    assert "Your school changes are saved" in response.content.decode()
    profile.refresh_from_db()
    assert profile.school == "Wright State University"


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1800", "Enter the year you expect to finish"),
        (str(TODAY.year + 20), "Enter the year you expect to finish"),
        ("next year", "Enter a year as four digits"),
    ],
)
def test_a_bad_graduation_year_gets_a_message_and_keeps_what_was_typed(student_client, year, message):
    response = student_client.post(step_url("school"), school_data(graduation_year=year))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Sinclair Community College"' in content
    assert "I work weekends at a grocery store." in content
    assert StudentProfile.objects.get(user=student_client.user).school == ""


def test_the_school_name_and_type_are_required(student_client):
    response = student_client.post(step_url("school"), school_data(school="", school_type=""))

    assert response.status_code == 200
    assert response.content.decode().count("This field is required") == 2


def test_choosing_no_skill_is_refused_with_a_friendly_message(student_client):
    SkillFactory(name="Canva")

    response = student_client.post(step_url("skills"), {})

    assert response.status_code == 200
    assert "Choose a level for at least one skill" in response.content.decode()


def test_a_skill_level_that_was_chosen_comes_back_after_an_error_elsewhere(client):
    profile = StudentProfileFactory(skills=[(SkillFactory(name="Canva"), "advanced")])
    client.force_login(profile.user)

    content = client.get(step_url("skills")).content.decode()

    assert re.search(r'<option value="advanced" selected>', content)


def test_choosing_no_interest_is_refused(student_client):
    InterestFactory()

    response = student_client.post(step_url("interests"), {})

    assert "Pick at least one industry or cause" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "windows", "message"),
    [
        ({"hours_per_week": "0"}, None, "Enter a number of hours from 1 to 40."),
        ({"hours_per_week": "41"}, None, "Enter a number of hours from 1 to 40."),
        ({"hours_per_week": "lots"}, None, "Enter a whole number of hours from 1 to 40."),
        ({"city": ""}, None, "Enter your city so we can find hybrid and on-site projects near you."),
        ({}, [(TODAY + timedelta(days=30), TODAY + timedelta(days=10))], "must be on or after the start date"),
        (
            {},
            [(TODAY, TODAY + timedelta(days=60)), (TODAY + timedelta(days=60), TODAY + timedelta(days=90))],
            "This overlaps",
        ),
        ({}, [(TODAY - timedelta(days=60), TODAY - timedelta(days=1))], "These dates have already passed"),
        ({}, [], "Add at least one date range when you can work."),
    ],
)
def test_bad_availability_gets_a_message_and_keeps_everything_else(student_client, overrides, windows, message):
    data = availability_data(windows=windows, **overrides)

    response = student_client.post(step_url("availability"), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    for key, value in data.items():
        if key.endswith(("starts_on", "ends_on")) or key == "state":
            assert f'value="{value}"' in content
    profile = StudentProfile.objects.get(user=student_client.user)
    assert profile.hours_per_week is None
    assert not profile.availability.exists()


def test_adding_a_date_range_keeps_the_typed_rows_and_saves_nothing_yet(student_client):
    first = (TODAY + timedelta(days=1), TODAY + timedelta(days=30))
    data = availability_data(windows=[first], add_window="1")

    response = student_client.post(step_url("availability"), data)

    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 2
    content = response.content.decode()
    assert f'value="{first[0]}"' in content
    assert 'value="12"' in content
    assert not StudentProfile.objects.get(user=student_client.user).availability.exists()


@pytest.mark.parametrize("row_count", [" ", "two", "1e3", "\x00"])
def test_adding_a_date_range_with_a_garbled_row_count_shows_the_form_again(student_client, row_count):
    data = availability_data(add_window="1") | {"windows-TOTAL_FORMS": row_count}

    response = student_client.post(step_url("availability"), data)

    assert response.status_code == 200
    assert 'value="12"' in response.content.decode()
    assert response.context["formset"].total_form_count() == 1
    assert not StudentProfile.objects.get(user=student_client.user).availability.exists()


def test_ticking_remove_drops_a_date_range(client):
    profile = StudentProfileFactory(
        windows=[(TODAY, TODAY + timedelta(days=10)), (TODAY + timedelta(days=20), TODAY + timedelta(days=40))]
    )
    client.force_login(profile.user)
    data = availability_data(windows=[(TODAY, TODAY + timedelta(days=10)), (TODAY + timedelta(days=20), TODAY)])
    data["windows-1-DELETE"] = "on"

    response = client.post(step_url("availability"), data)

    assert response.status_code == 302
    assert [(w.starts_on, w.ends_on) for w in profile.availability.all()] == [(TODAY, TODAY + timedelta(days=10))]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("portfolio_url", "not a web address", "Enter a valid URL"),
        ("linkedin_url", "https://facebook.com/ana", "This isn&#x27;t a LinkedIn address"),
        ("github_url", "https://gitlab.com/ana", "This isn&#x27;t a GitHub address"),
    ],
)
def test_a_bad_link_gets_a_message_and_the_other_links_come_back(student_client, field, value, message):
    data = {"portfolio_url": "https://ana.example.org", "github_url": "https://github.com/ana"} | {field: value}

    response = student_client.post(step_url("links"), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    for typed in data.values():
        assert f'value="{typed}"' in content


@pytest.mark.parametrize("name", ["students:profile", "students:onboarding", "students:portfolio", "students:export"])
def test_anonymous_visitors_are_asked_to_log_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "name", ["students:profile", "students:onboarding", "students:portfolio", "students:export", "students:delete"]
)
def test_a_business_member_is_sent_to_their_dashboard(client, name):
    owner = BusinessOwnerFactory()
    client.force_login(owner)

    response = client.get(reverse(name), follow=True)

    assert response.redirect_chain[0][0] == reverse("businesses:dashboard")
    assert "Business accounts don&#x27;t have a student profile" in response.content.decode()
    assert not StudentProfile.objects.filter(user=owner).exists()


def test_a_new_student_lands_on_profile_setup_after_confirming_their_email(client):
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Ana Lopez",
            "email": "ana@example.org",
            "role": "student",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    link = re.search(r"https://c2c\.test(/accounts/confirm-email/[^\s/]+/)", mail.outbox[0].body).group(1)

    response = client.post(link)

    assert response["Location"] == SETUP


def test_a_student_with_a_finished_profile_logs_in_as_usual_and_one_without_is_sent_to_setup(client):
    finished = StudentProfileFactory().user
    unfinished = StudentProfileFactory(onboarding_completed_at=None).user

    response = client.post(reverse("account_login"), {"login": finished.email, "password": PASSWORD})
    assert response["Location"] == reverse("home")

    client.logout()
    response = client.post(reverse("account_login"), {"login": unfinished.email, "password": PASSWORD})
    assert response["Location"] == SETUP


def test_a_remote_student_who_finished_with_only_what_set_up_asks_is_told_the_profile_is_complete(client):
    profile = StudentProfileFactory(
        skills=[SkillFactory()],
        interests=[InterestFactory()],
        programme="",
        graduation_year=None,
        bio="",
        city="",
        state="",
    )
    client.force_login(profile.user)

    content = client.get(reverse("students:profile")).content.decode()

    assert "Your profile is complete" in content
    assert "% complete" not in content
    assert "Optional extras help businesses choose you (5 of 5 still to add)" in content
    for prompt in ("Write a few sentences about yourself", "Upload your résumé", "Add your city and state: if you"):
        assert prompt in content
    assert "We need these" not in content


def test_the_profile_page_shows_the_meter_and_what_is_missing_for_matching(client):
    profile = StudentProfileFactory(skills=[], interests=[])
    client.force_login(profile.user)

    content = client.get(reverse("students:profile")).content.decode()

    assert "Your profile is 60% complete" in content
    assert "Pick the skills you have" in content
    assert "Choose the industries and causes you care about" in content
    assert "Sinclair Community College" in content
    assert "?step=skills" in content

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.projects.factories import ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory, completed_engagement

pytestmark = pytest.mark.django_db

PORTFOLIO = reverse("students:portfolio")


@pytest.fixture
def profile(client):
    profile = StudentProfileFactory(user__full_name="Ana Lopez", programme="Accounting")
    client.force_login(profile.user)
    return profile


def public_url(profile):
    return reverse("students:public_portfolio", args=[profile.portfolio_token])


def test_a_completed_project_shows_with_hours_skills_accepted_work_and_reference(client, profile):
    project = ProjectFactory(
        title="Bookkeeping clean-up",
        business__name="Sunrise Bakery",
        duration_weeks=4,
        hours_per_week=10,
        required_skills=[SkillFactory(name="QuickBooks")],
        deliverables=["Reconciled ledger", "Month-end checklist"],
    )
    completed_engagement(
        student=profile.user,
        project=project,
        accepted=["Reconciled ledger"],
        pending=["Month-end checklist"],
        reference=(5, "Careful, reliable and kind with our customers."),
    )

    content = client.get(PORTFOLIO).content.decode()

    assert "Bookkeeping clean-up" in content
    assert "Sunrise Bakery" in content
    assert "40 hours" in content
    assert "QuickBooks" in content
    assert "Reconciled ledger" in content
    assert "Month-end checklist" not in content
    assert "Careful, reliable and kind with our customers." in content
    assert "rated 5 out of 5" in content


def test_unfinished_work_and_feedback_not_offered_as_a_reference_stay_off_the_portfolio(client, profile):
    completed_engagement(student=profile.user, project=ProjectFactory(title="Still going"), status="active")
    finished = completed_engagement(
        student=profile.user, project=ProjectFactory(title="Finished newsletter"), reference=(4, "Good.")
    )
    finished.feedback.filter(direction="business_to_student").update(is_reference=False)

    content = client.get(PORTFOLIO).content.decode()

    assert "Still going" not in content
    assert "Finished newsletter" in content
    assert "Good." not in content


def test_a_reference_waits_until_the_student_has_written_theirs_or_the_reveal_period_passes(client, profile, settings):
    engagement = completed_engagement(student=profile.user, reference=(5, "Outstanding."), student_feedback=False)

    assert "Outstanding." not in client.get(PORTFOLIO).content.decode()

    engagement.completed_at = timezone.now() - timedelta(days=settings.C2C_FEEDBACK_REVEAL_DAYS + 1)
    engagement.save()
    assert "Outstanding." in client.get(PORTFOLIO).content.decode()


def test_an_empty_portfolio_explains_how_to_get_an_entry(client, profile):
    content = client.get(PORTFOLIO).content.decode()

    assert "No finished projects yet" in content
    assert reverse("projects:browse") in content


def test_the_public_link_works_only_while_sharing_is_on_and_shows_no_contact_details(client, profile):
    profile.linkedin_url = "https://linkedin.com/in/ana-lopez"
    profile.save()
    completed_engagement(student=profile.user, project=ProjectFactory(title="Donor database"))
    assert client.get(public_url(profile)).status_code == 404

    response = client.post(PORTFOLIO, {"portfolio_public": "on"}, follow=True)
    assert "Your portfolio is public" in response.content.decode()

    client.logout()
    response = client.get(public_url(profile))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ana Lopez" in content
    assert "Accounting" in content
    assert "Sinclair Community College" in content
    assert "Donor database" in content
    assert profile.user.email not in content
    assert "linkedin" not in content
    assert "resume" not in content

    client.force_login(profile.user)
    client.post(PORTFOLIO, {})
    client.logout()
    assert client.get(public_url(profile)).status_code == 404


@pytest.mark.parametrize("token", ["%E2%80%AE", "a" * 300])
def test_a_garbled_public_link_is_not_found(client, profile, token):
    profile.portfolio_public = True
    profile.save()

    assert client.get(f"/students/portfolio/{token}/").status_code == 404


def test_another_students_portfolio_is_never_shown_on_mine(client, profile):
    completed_engagement(student=UserFactory(), project=ProjectFactory(title="Someone else's project"))

    assert "Someone else" not in client.get(PORTFOLIO).content.decode()


@pytest.mark.parametrize("entries", [1, 5])
def test_the_portfolio_page_costs_the_same_queries_for_one_or_five_entries(
    client, profile, django_assert_num_queries, entries
):
    for number in range(entries):
        completed_engagement(
            student=profile.user,
            project=ProjectFactory(
                title=f"Project {number}", required_skills=[SkillFactory()], deliverables=["Report", "Slides"]
            ),
            accepted=["Report", "Slides"],
            reference=(5, "Great."),
        )
    # session, user, profile, then engagements, required skills, accepted submissions, feedback, unread count
    with django_assert_num_queries(8):
        response = client.get(PORTFOLIO)

    assert response.content.decode().count("Great.") == entries

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.dateformat import format as format_date

from businesses.enums import Industry, OrganisationType
from projects.enums import FlagReason, LocationMode, ProjectStatus
from projects.models import ProjectFlag
from tests.factories import BusinessFactory, BusinessOwnerFactory, UserFactory
from tests.projects.factories import ApplicationFactory, InterestFactory, ProjectFactory, SkillFactory

pytestmark = pytest.mark.django_db


def detail_url(project):
    return reverse("projects:detail", args=[project.pk])


def report_url(project):
    return reverse("projects:report", args=[project.pk])


def test_project_page_shows_everything_a_student_needs_to_decide(client):
    business = BusinessFactory(
        name="Riverside Food Co-op",
        org_type=OrganisationType.NONPROFIT,
        industry=Industry.FOOD,
        city="Dayton",
        state="OH",
        website="https://riverside-coop.example.org",
        description="A member-owned grocery on the east side.",
        contact_email="owner-private@example.org",
        contact_phone="937-555-0100",
        ein="12-3456789",
    )
    project = ProjectFactory(
        business=business,
        title="Volunteer sign-up flow",
        fee=Decimal("1200.50"),
        duration_weeks=4,
        hours_per_week=6,
        location_mode=LocationMode.ONSITE,
        city="Dayton",
        state="OH",
        earliest_start=date(2031, 3, 3),
        apply_by=date(2031, 2, 24),
        openings=2,
        screening_questions=["Why this project?", "When can you start?"],
        deliverables=["Map the current process", "Build the new form", "Hand-over notes"],
        required_skills=[SkillFactory(name="Form design")],
        nice_to_have_skills=[SkillFactory(name="Volunteer coordination")],
        interests=[InterestFactory(name="Food security")],
    )

    response = client.get(detail_url(project))
    content = response.content.decode()

    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<title>Volunteer sign-up flow" in content
    for expected in [
        "$1,200.50",
        "$50.02/hour",
        "24 hours",
        "4 weeks",
        format_date(date(2031, 3, 3), "D j M Y"),
        format_date(date(2031, 2, 24), "D j M Y"),
        "On-site · Dayton, OH",
        "2 students",
        "2 questions when you apply",
        "Form design",
        "Volunteer coordination",
        "Food security",
        "About Riverside Food Co-op",
        "Nonprofit · Food and hospitality · Dayton, OH",
        "A member-owned grocery on the east side.",
        "https://riverside-coop.example.org",
    ]:
        assert expected in content, expected
    positions = [content.index(title) for title in ["Map the current", "Build the new form", "Hand-over notes"]]
    assert positions == sorted(positions)
    for private in ["owner-private@example.org", "937-555-0100", "12-3456789"]:
        assert private not in content
    assert "Report this project" not in content  # Anonymous visitors can't report.


def test_another_business_draft_is_a_404_but_its_owner_sees_it_with_its_status(client):
    owner = BusinessOwnerFactory()
    draft = ProjectFactory(business=owner.membership.business, title="Secret plans", status=ProjectStatus.DRAFT)

    assert client.get(detail_url(draft)).status_code == 404
    client.force_login(BusinessOwnerFactory())
    assert client.get(detail_url(draft)).status_code == 404

    client.force_login(owner)
    response = client.get(detail_url(draft))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Secret plans" in content
    assert "Status: <strong>Draft</strong>. Only your organisation can see this page" in content
    assert "Report this project" not in content


@pytest.mark.parametrize("status", [ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED, ProjectStatus.CLOSED])
def test_a_student_who_applied_can_still_read_the_project_once_it_is_no_longer_published(client, status):
    project = ProjectFactory(title="Spring newsletter", status=status)
    applicant = ApplicationFactory(project=project).student

    client.force_login(applicant)
    application_page = client.get(reverse("projects:my_applications")).content.decode()
    assert "Spring newsletter" in application_page
    response = client.get(detail_url(project))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Spring newsletter" in content
    assert f"is <strong>{project.get_status_display().lower()}</strong> and no longer takes applications" in content
    assert reverse("projects:apply", args=[project.pk]) not in content
    assert "Report this project" not in content

    client.force_login(ApplicationFactory().student)  # applied elsewhere, not here
    assert client.get(detail_url(project)).status_code == 404


def test_a_missing_project_is_a_404(client):
    assert client.get(reverse("projects:detail", args=[999999])).status_code == 404


def test_signed_in_users_see_a_report_link_on_published_projects(client):
    project = ProjectFactory()
    client.force_login(UserFactory())

    content = client.get(detail_url(project)).content.decode()

    assert f'href="{report_url(project)}"' in content
    assert "Report this project" in content


def test_reporting_needs_login(client):
    response = client.get(report_url(ProjectFactory()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_report_is_recorded_and_a_second_open_one_refused(client):
    project = ProjectFactory(title="Too good to be true")
    reporter = UserFactory()
    client.force_login(reporter)

    form_page = client.get(report_url(project)).content.decode()
    first = client.post(report_url(project), {"reason": FlagReason.UNPAID, "note": " Wants a free trial week. "})
    after_first = client.get(first["Location"]).content.decode()
    second = client.post(report_url(project), {"reason": FlagReason.SCAM, "note": ""})

    assert "Report a project" in form_page
    assert "Looks like a scam" in form_page
    assert first["Location"] == detail_url(project)
    assert "Thanks — staff will look at this report." in after_first
    flag = ProjectFlag.objects.get()
    assert (flag.project, flag.reporter, flag.reason, flag.note) == (
        project,
        reporter,
        FlagReason.UNPAID,
        "Wants a free trial week.",
    )
    assert second.status_code == 200
    assert "You&#x27;ve already reported this project" in second.content.decode()
    assert re.search(r'value="scam"[^>]*checked', second.content.decode())  # What was chosen is kept.
    assert ProjectFlag.objects.count() == 1


def test_something_else_needs_a_note(client):
    project = ProjectFactory()
    client.force_login(UserFactory())

    response = client.post(report_url(project), {"reason": FlagReason.OTHER, "note": ""})

    assert response.status_code == 200
    assert "Tell us briefly what" in response.content.decode()
    assert not ProjectFlag.objects.exists()


def test_a_draft_cannot_be_reported_and_others_cannot_reach_it(client):
    owner = BusinessOwnerFactory()
    draft = ProjectFactory(business=owner.membership.business, status=ProjectStatus.DRAFT)

    client.force_login(UserFactory())
    assert client.post(report_url(draft), {"reason": FlagReason.SCAM}).status_code == 404
    client.force_login(owner)
    response = client.post(report_url(draft), {"reason": FlagReason.SCAM})
    assert "Only published projects can be reported." in response.content.decode()
    assert not ProjectFlag.objects.exists()


# The project with its business, then its deliverables, skills and interests together, the business's response
# time and its public record (three queries); both are then cached.
ANONYMOUS_DETAIL_QUERIES = 6
# Without the cached response time and record, plus the session, the user, their membership (to find their
# business), the student's own application to this project and the unread count.
SIGNED_IN_DETAIL_QUERIES = ANONYMOUS_DETAIL_QUERIES - 4 + 5


@pytest.mark.parametrize("size", [1, 8])
def test_project_page_makes_the_same_few_queries_however_much_it_lists(client, django_assert_num_queries, size):
    project = ProjectFactory(
        deliverables=[f"Deliverable {n}" for n in range(size)],
        required_skills=[SkillFactory(name=f"Detail skill {n}") for n in range(size)],
        nice_to_have_skills=[SkillFactory(name=f"Bonus skill {n}") for n in range(size)],
        interests=[InterestFactory(name=f"Detail interest {n}") for n in range(size)],
    )

    with django_assert_num_queries(ANONYMOUS_DETAIL_QUERIES):
        client.get(detail_url(project))
    client.force_login(UserFactory())
    with django_assert_num_queries(SIGNED_IN_DETAIL_QUERIES):
        content = client.get(detail_url(project)).content.decode()
    assert content.count("Deliverable ") == size


def test_project_page_lists_deliverables_in_their_order_and_skills_and_interests_by_name(client):
    project = ProjectFactory(
        deliverables=["Plan the posts", "Draft the captions", "Final report"],
        required_skills=[SkillFactory(name="Zine layout"), SkillFactory(name="Accounting")],
        nice_to_have_skills=[SkillFactory(name="Video"), SkillFactory(name="Canva")],
        interests=[InterestFactory(name="Food"), InterestFactory(name="Arts")],
    )

    content = client.get(detail_url(project)).content.decode()

    def in_order(*words):
        return sorted(words, key=content.index) == list(words)

    assert in_order("Plan the posts", "Draft the captions", "Final report")
    assert in_order("Accounting", "Zine layout") and in_order("Canva", "Video") and in_order("Arts", "Food")

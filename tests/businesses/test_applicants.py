"""The applicants page ranks applicants by how well they match the project, scored live."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.enums import ApplicationStatus
from projects.models import Application
from students.enums import SkillLevel
from students.services import save_skills
from tests.factories import BusinessOwnerFactory
from tests.projects.factories import ApplicationFactory, InterestFactory, ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def copywriting():
    return SkillFactory(name="Copywriting")


@pytest.fixture
def project(copywriting):
    return ProjectFactory(title="Newsletter refresh", required_skills=[copywriting], hours_per_week=10)


def applicants_page(client, project, **params) -> str:
    client.force_login(BusinessOwnerFactory(business=project.business))
    response = client.get(reverse("businesses:applicants", args=[project.pk]), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def apply(project, name, *, days_ago=0, status=ApplicationStatus.SUBMITTED, **profile):
    student = StudentProfileFactory(user__full_name=name, **profile).user
    application = ApplicationFactory(project=project, student=student, status=status)
    Application.objects.filter(pk=application.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return application


def headings(content) -> list[str]:
    return [name.strip() for name in re.findall(r'<h2 class="h5 mb-0" id="applicant-\d+">(.*?)</h2>', content, re.S)]


def test_applicants_are_ranked_best_match_first_then_newest(client, project, copywriting):
    apply(project, "Old expert", days_ago=5, skills=[(copywriting, SkillLevel.ADVANCED)])
    apply(project, "New beginner", days_ago=1, skills=[(copywriting, SkillLevel.BEGINNER)])
    apply(project, "Older novice", days_ago=4)
    apply(project, "Newer novice", days_ago=2)

    content = applicants_page(client, project)

    assert headings(content) == ["Old expert", "New beginner", "Newer novice", "Older novice"]
    assert "Best match first, then newest." in content
    assert "Has 1 of 1 required skills: Copywriting (advanced)." in content
    assert "Has 0 of 1 required skills. Missing: Copywriting." in content
    assert "Strong match ·" in content


def test_an_applicant_short_of_hours_gets_a_gentle_note(client, project, copywriting):
    apply(project, "Busy parent", hours_per_week=4, skills=[(copywriting, SkillLevel.ADVANCED)])
    apply(project, "Free student", skills=[(copywriting, SkillLevel.ADVANCED)])

    content = applicants_page(client, project)

    busy, free = re.split(r'(?=<article class="card mb-3")', content)[-2:]
    assert "Free student" in busy  # the one who fits is listed first
    assert "Busy parent" in free
    assert "Short of the hours or dates this project needs." in free
    assert "Short of the hours or dates this project needs." not in busy
    assert "Has 4 h/week; you need 10." in free


def test_the_best_applicant_is_on_the_first_page_however_old_their_application(client, project, copywriting):
    apply(project, "Early expert", days_ago=30, skills=[(copywriting, SkillLevel.ADVANCED)])
    for number in range(22):
        apply(project, f"Later applicant {number}")

    first = applicants_page(client, project)
    second = applicants_page(client, project, page=2)

    assert headings(first)[0] == "Early expert"
    assert len(headings(first)) == 20
    assert len(headings(second)) == 3
    assert "Early expert" not in second


def test_a_status_tab_keeps_the_match_order(client, project, copywriting):
    shortlisted = ApplicationStatus.SHORTLISTED
    apply(project, "Shortlisted novice", days_ago=1, status=shortlisted)
    apply(project, "Shortlisted expert", days_ago=3, status=shortlisted, skills=[(copywriting, SkillLevel.ADVANCED)])
    apply(project, "Waiting expert", skills=[(copywriting, SkillLevel.ADVANCED)])

    content = applicants_page(client, project, status=shortlisted)

    assert headings(content) == ["Shortlisted expert", "Shortlisted novice"]


@pytest.mark.parametrize("size", [2, 8])
def test_applicants_page_makes_the_same_queries_whatever_the_number_of_applicants(
    client, django_assert_num_queries, project, copywriting, size
):
    interest = InterestFactory(name="Local news")
    project.interests.add(interest)
    for number in range(size):
        apply(project, f"Applicant {number}", skills=[(copywriting, SkillLevel.ADVANCED)], interests=[interest])
    client.force_login(BusinessOwnerFactory(business=project.business))
    url = reverse("businesses:applicants", args=[project.pk])

    # Session, user, membership, business, project, status counts, every applicant, their skills, the unread
    # count; scoring: the project (row, required, nice-to-have, interests, interest slugs), the students (rows,
    # skills, interests, dates), and the names of the skills and interests the reasons mention.
    with django_assert_num_queries(20):
        content = html.unescape(client.get(url).content.decode())

    assert content.count("Interested in Local news.") == size


def test_a_student_who_adds_a_skill_moves_up_at_once(client, project, copywriting):
    apply(project, "Early applicant", days_ago=3, skills=[(copywriting, SkillLevel.BEGINNER)])
    learner = apply(project, "Quick learner", days_ago=1)
    assert headings(applicants_page(client, project)) == ["Early applicant", "Quick learner"]

    profile = learner.student.student_profile
    save_skills(actor=learner.student, profile=profile, skills=[(copywriting, SkillLevel.ADVANCED)])

    assert headings(applicants_page(client, project)) == ["Quick learner", "Early applicant"]

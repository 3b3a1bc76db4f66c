"""What students and businesses see of matches: home recommendations, browse, recommended students, invitations."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import Invitation, RecommendedProject, RecommendedStudent
from matching.services import refresh_project, refresh_student
from notifications.enums import Kind
from notifications.models import Notification
from projects import search
from projects.enums import ProjectStatus
from students.enums import SkillLevel
from students.models import StudentProfile
from tests.factories import BusinessOwnerFactory, UserFactory
from tests.projects.factories import ApplicationFactory, InterestFactory, ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
BROWSE = reverse("projects:browse")


def text_of(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def words(content: str) -> str:
    """The page as a screen reader reads it: markup gone, visually hidden text kept."""
    return re.sub(r"<[^>]+>", "", content)


def order_of(content: str, titles) -> list[str]:
    return sorted(titles, key=lambda title: content.index(f">{title}</a>"))


@pytest.fixture
def skills():
    return {name: SkillFactory(name=name) for name in ["Copywriting", "Spreadsheets", "Video editing"]}


@pytest.fixture
def fits(skills):
    """Three open projects that fit a copywriter with spreadsheets well, partly and barely."""
    now = timezone.now()
    return {
        "Strong fit": ProjectFactory(
            title="Strong fit",
            required_skills=[skills["Copywriting"], skills["Spreadsheets"]],
            published_at=now - timedelta(days=3),
        ),
        "Partial fit": ProjectFactory(
            title="Partial fit",
            required_skills=[skills["Copywriting"], skills["Video editing"]],
            published_at=now - timedelta(days=2),
        ),
        "Poor fit": ProjectFactory(
            title="Poor fit", required_skills=[skills["Video editing"]], published_at=now - timedelta(days=1)
        ),
    }


@pytest.fixture
def matched_student(skills, fits):
    profile = StudentProfileFactory(
        user__full_name="Ana Lopez",
        skills=[(skills["Copywriting"], SkillLevel.ADVANCED), (skills["Spreadsheets"], SkillLevel.ADVANCED)],
    )
    refresh_student(profile.pk)
    return profile


def stored_score(profile, project) -> int:
    return RecommendedProject.objects.get(student=profile, project=project).score


# --- Home page -------------------------------------------------------------------------------------


def test_home_recommends_the_students_best_matches_first_with_band_score_and_reasons(client, matched_student, fits):
    client.force_login(matched_student.user)

    content = text_of(client.get(HOME))

    assert "Recommended for you" in content
    # "Poor fit" needs only Video editing, which she doesn't have: a good score without a skill isn't recommended.
    assert order_of(content, ["Strong fit", "Partial fit"]) == ["Strong fit", "Partial fit"]
    assert "Poor fit" not in content
    strong = stored_score(matched_student, fits["Strong fit"])
    assert strong >= 75
    assert f"Strong match · {strong} out of 100" in words(content)
    assert "You have 2 of 2 required skills: Copywriting (advanced), Spreadsheets (advanced)." in content
    assert "You have 1 of 2 required skills: Copywriting (advanced). Missing: Video editing." in content
    assert fits["Strong fit"].business.name in content
    assert "$1,200" in content
    assert "<details" in content  # the reasons past the third are folded away
    assert content.count("<h1") == 1


def test_home_asks_a_student_with_an_unfinished_profile_to_finish_it(client):
    unfinished = StudentProfileFactory(onboarding_completed_at=None)
    no_profile = UserFactory()

    for user in (unfinished.user, no_profile):
        client.force_login(user)
        content = text_of(client.get(HOME))
        assert "Finish your profile to see projects that fit you." in content
        assert f'href="{reverse("students:onboarding")}"' in content


def test_home_says_matches_are_coming_when_a_finished_profile_has_none_yet(client):
    client.force_login(StudentProfileFactory().user)

    content = text_of(client.get(HOME))

    assert "No recommendations yet." in content
    assert "we'll tell you when a project fits you" in content
    assert f'href="{reverse("students:onboarding")}?step=skills">Add every skill you have</a>' in content
    assert "Finish your profile" not in content


def test_home_recommends_nothing_that_needs_only_skills_the_student_lacks(client, skills):
    design = SkillFactory(name="Graphic design")
    ProjectFactory(title="Needs design", required_skills=[design, skills["Video editing"]])
    ProjectFactory(title="Needs nothing in particular")
    ProjectFactory(title="Needs copywriting or design", required_skills=[design, skills["Copywriting"]])
    profile = StudentProfileFactory(skills=[skills["Copywriting"]])
    refresh_student(profile.pk)
    assert RecommendedProject.objects.filter(student=profile, project__title="Needs design").exists()
    client.force_login(profile.user)

    content = text_of(client.get(HOME))

    assert "Needs nothing in particular" in content
    assert "Needs copywriting or design" in content
    assert ">Needs design</a>" not in content


@pytest.mark.parametrize("who", ["anonymous", "business"])
def test_home_has_no_recommendations_for_anyone_but_students(client, matched_student, who):
    if who == "business":
        client.force_login(BusinessOwnerFactory())

    content = text_of(client.get(HOME))

    assert "Real experience, paid, on your schedule" in content
    assert "Recommended for you" not in content
    assert "Strong fit" not in content


# --- Browse --------------------------------------------------------------------------------------


def test_best_match_sort_puts_the_students_scored_projects_first(client, matched_student, fits):
    ProjectFactory(title="Unscored newest")  # published after the student's list was computed
    client.force_login(matched_student.user)
    titles = [*fits, "Unscored newest"]

    by_match = text_of(client.get(BROWSE, {"sort": "match"}))
    newest = text_of(client.get(BROWSE))

    assert order_of(by_match, titles) == ["Strong fit", "Partial fit", "Poor fit", "Unscored newest"]
    assert order_of(newest, titles) == ["Unscored newest", "Poor fit", "Partial fit", "Strong fit"]
    assert '<option value="match" selected>Best match</option>' in by_match


def test_browse_cards_show_the_students_band_and_reasons_where_there_is_a_match(client, matched_student, fits):
    ProjectFactory(title="Unscored newest")
    client.force_login(matched_student.user)

    content = text_of(client.get(BROWSE))
    cards = {
        re.search(r">([^<]+)</a></h2>", card).group(1): card
        for card in re.findall(r'<article class="card card-project.*?</article>', content, flags=re.DOTALL)
    }

    strong = stored_score(matched_student, fits["Strong fit"])
    assert f"Strong match · {strong}" in cards["Strong fit"]
    assert "You have 2 of 2 required skills" in cards["Strong fit"]
    assert "Missing: Video editing." in cards["Poor fit"]
    assert "match ·" not in cards["Unscored newest"]
    assert "Why this score" not in cards["Unscored newest"]


def test_best_match_is_offered_to_students_only_and_quietly_ignored_otherwise(client, matched_student, fits):
    anonymous = text_of(client.get(BROWSE, {"sort": "match"}))
    client.force_login(matched_student.user)
    student_page = text_of(client.get(BROWSE))

    assert 'value="match"' not in anonymous
    assert "couldn't be used" not in anonymous
    assert order_of(anonymous, fits) == ["Poor fit", "Partial fit", "Strong fit"]  # newest first
    assert "Strong match" not in anonymous
    assert '<option value="match">Best match</option>' in student_page


def test_best_match_without_scores_says_why_the_order_is_newest(client, fits):
    client.force_login(StudentProfileFactory().user)

    content = text_of(client.get(BROWSE, {"sort": "match"}))

    assert "None of these projects has a match score for you yet" in content
    assert order_of(content, fits) == ["Poor fit", "Partial fit", "Strong fit"]


# A first anonymous browse (skill choices, count, page rows, the cards' skills) + session, user, unread count,
# the student's profile, their stored matches on the page, and the names of the skills and of the interests
# their reasons mention.
STUDENT_MATCH_BROWSE_QUERIES = 4 + 7


@pytest.mark.parametrize("size", [2, 30])
def test_best_match_browse_makes_the_same_queries_whatever_the_number_of_matches(
    client, django_assert_num_queries, size
):
    skill, interest = SkillFactory(name="Counting skill"), InterestFactory(name="Counting interest")
    for _ in range(size):
        ProjectFactory(required_skills=[skill], interests=[interest])
    profile = StudentProfileFactory(skills=[skill], interests=[interest])
    refresh_student(profile.pk)
    assert RecommendedProject.objects.filter(student=profile).count() == size
    client.force_login(profile.user)

    with django_assert_num_queries(STUDENT_MATCH_BROWSE_QUERIES):
        content = text_of(client.get(BROWSE, {"sort": "match"}))

    assert content.count("Why this score") == min(size, search.PAGE_SIZE)


# --- Recommended students ------------------------------------------------------------------------


@pytest.fixture
def project(skills):
    return ProjectFactory(title="Newsletter refresh", required_skills=[skills["Copywriting"]])


@pytest.fixture
def owner(project):
    return BusinessOwnerFactory(business=project.business)


def recommended_url(project):
    return reverse("businesses:recommended", args=[project.pk])


def invite_url(project, profile):
    return reverse("businesses:invite_student", args=[project.pk, profile.pk])


@pytest.fixture
def dana(skills):
    """A discoverable student with an email address and a résumé the business must not see."""
    profile = StudentProfileFactory(
        user__full_name="Dana Rivera",
        user__email="dana.private@example.org",
        discoverable=True,
        programme="Marketing",
        graduation_year=2031,
        portfolio_url="https://dana.example.org",
        skills=[(skills["Copywriting"], SkillLevel.ADVANCED)],
        interests=[InterestFactory(name="Local food")],
    )
    StudentProfile.objects.filter(pk=profile.pk).update(
        resume=f"resumes/{profile.user_id}/cv.pdf", resume_filename="Dana Rivera CV.pdf"
    )
    return profile


@pytest.fixture
def hidden(skills):
    return StudentProfileFactory(
        user__full_name="Hal Hidden", discoverable=False, skills=[(skills["Copywriting"], SkillLevel.ADVANCED)]
    )


def test_recommended_students_shows_discoverable_students_public_fields_and_reasons_only(
    client, project, owner, dana, hidden
):
    refresh_project(project.pk)
    client.force_login(owner)

    content = text_of(client.get(recommended_url(project)))

    assert "Dana Rivera" in content
    assert "Hal Hidden" not in content
    assert "Marketing · Sinclair Community College (Community college) · graduating 2031" in content
    assert "15 h/week available" in content
    assert "Copywriting · Advanced" in content
    assert "Interested in Local food" in content
    assert 'href="https://dana.example.org"' in content
    score = RecommendedStudent.objects.get(project=project, student=dana).score
    assert f"Strong match · {score} out of 100" in words(content)
    assert "Has 1 of 1 required skills: Copywriting (advanced)." in content
    assert "Invite Dana Rivera to apply" in words(content)
    assert "dana.private@example.org" not in content
    assert reverse("students:resume", args=[dana.pk]) not in content
    assert "Dana Rivera CV.pdf" not in content
    assert content.count("<h1") == 1


def test_published_project_page_links_to_its_recommended_students(client, project, owner):
    draft = ProjectFactory(business=project.business, status=ProjectStatus.DRAFT)
    client.force_login(owner)

    assert recommended_url(project) in text_of(client.get(reverse("businesses:project", args=[project.pk])))
    assert recommended_url(draft) not in text_of(client.get(reverse("businesses:project", args=[draft.pk])))


def test_recommended_students_empty_state_explains_who_appears(client, project, owner, hidden):
    refresh_project(project.pk)
    draft = ProjectFactory(business=project.business, status=ProjectStatus.DRAFT)
    client.force_login(owner)

    published = text_of(client.get(recommended_url(project)))
    unpublished = text_of(client.get(recommended_url(draft)))

    assert "No recommended students yet." in published
    assert "Only students who chose to be discoverable appear here" in published
    assert "within minutes" in published
    assert "Recommendations appear while the project is published." in unpublished


def test_another_business_gets_404_for_recommended_students_and_invitations(client, project, dana):
    refresh_project(project.pk)
    client.force_login(BusinessOwnerFactory())

    assert client.get(recommended_url(project)).status_code == 404
    assert client.post(invite_url(project, dana)).status_code == 404
    assert not Invitation.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, project, dana):
    for response in (client.get(recommended_url(project)), client.post(invite_url(project, dana))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert not Invitation.objects.exists()


def test_inviting_tells_the_student_once_and_a_second_invite_is_refused(client, project, owner, dana):
    refresh_project(project.pk)
    client.force_login(owner)

    response = client.post(invite_url(project, dana), follow=True)
    content = text_of(response)

    assert response.redirect_chain[-1][0] == f"{recommended_url(project)}#student-{dana.pk}"
    assert "We've told Dana Rivera you'd like them to apply." in content
    assert re.search(r"<button[^>]*disabled>Invited</button>", content)
    assert Invitation.objects.filter(project=project, student=dana, invited_by=owner).count() == 1
    notice = Notification.objects.get(recipient=dana.user, kind=Kind.INVITATION)
    assert notice.title == f"{project.business.name} invites you to apply: Newsletter refresh"
    assert notice.url == project.get_absolute_url()

    again = text_of(client.post(invite_url(project, dana), follow=True))

    assert "You already invited Dana Rivera." in again
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(recipient=dana.user, kind=Kind.INVITATION).count() == 1


def test_inviting_a_student_who_is_not_recommended_is_refused_with_a_message(client, project, owner, hidden):
    refresh_project(project.pk)
    client.force_login(owner)

    content = text_of(client.post(invite_url(project, hidden), follow=True))

    assert "You can invite students from this project's recommendations only." in content
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(kind=Kind.INVITATION).exists()
    assert client.post(reverse("businesses:invite_student", args=[project.pk, 999999])).status_code == 404


def test_a_student_who_applied_shows_as_applied_with_a_link_to_the_applicants(client, project, owner, dana):
    ApplicationFactory(project=project, student=dana.user)
    refresh_project(project.pk)
    client.force_login(owner)

    content = text_of(client.get(recommended_url(project)))

    assert "Applied" in content
    assert reverse("businesses:applicants", args=[project.pk]) in content
    assert "to apply</button>" not in content


@pytest.mark.parametrize("size", [1, 6])
def test_recommended_students_page_makes_the_same_queries_whatever_the_number_of_students(
    client, django_assert_num_queries, project, owner, skills, size
):
    for _ in range(size):
        StudentProfileFactory(
            discoverable=True,
            skills=[(skills["Copywriting"], SkillLevel.ADVANCED)],
            interests=[InterestFactory(name="Counting interest")],
        )
    refresh_project(project.pk)
    assert RecommendedStudent.objects.filter(project=project).count() == size
    client.force_login(owner)

    # Session, user, membership, business, project, whether it still takes applications, the recommended rows,
    # their skills (two: levels, then names),
    # their interests, invitations, applications, the names of the skills the reasons mention (no
    # interest is mentioned here, so no query for those), unread count.
    with django_assert_num_queries(14):
        content = text_of(client.get(recommended_url(project)))

    assert content.count("to apply</button>") == size

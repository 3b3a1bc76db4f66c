"""Signed-in people's own pages come from the cache, never someone else's, and what they or others do shows
on them at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from matching.services import refresh_student
from notifications.enums import Kind
from notifications.services import notify
from projects import services
from projects.enums import ApplicationStatus, ProjectStatus
from tests.factories import BusinessOwnerFactory, StaffFactory
from tests.helpers import signed_in_client
from tests.projects.factories import ApplicationFactory, ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory, student

pytestmark = pytest.mark.django_db

HOME = reverse("home")
BROWSE = reverse("projects:browse")
MY_APPLICATIONS = reverse("projects:my_applications")
DASHBOARD = reverse("businesses:dashboard")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def kept(client, url) -> str:
    """The page, asked for twice so the second answer comes from the cache if it may."""
    page(client, url)
    return page(client, url)


def test_a_signed_in_persons_page_is_served_again_reading_only_their_session_and_account(
    django_assert_num_queries,
):
    applicant = student(user__full_name="Ana Lopez")
    ApplicationFactory(student=applicant, project=ProjectFactory(title="Bakery socials"))
    ana = signed_in_client(applicant)
    first = kept(ana, MY_APPLICATIONS)

    with django_assert_num_queries(2):  # the session, then the account it signs in (checked as on every page)
        again = page(ana, MY_APPLICATIONS)

    assert again == first and "Bakery socials" in again


def test_two_people_never_see_each_others_pages():
    books, photos = SkillFactory(name="Bookkeeping"), SkillFactory(name="Photography")
    ProjectFactory(title="Quarterly books", required_skills=[books])
    ProjectFactory(title="Menu photos", required_skills=[photos])
    ana_profile = StudentProfileFactory(skills=[books])
    ben_profile = StudentProfileFactory(skills=[photos])
    for profile in (ana_profile, ben_profile):
        refresh_student(profile.pk)
    ApplicationFactory(student=ana_profile.user, project=ProjectFactory(title="Bakery window project"))
    ApplicationFactory(student=ben_profile.user, project=ProjectFactory(title="Garage sign project"))
    ana, ben = signed_in_client(ana_profile.user), signed_in_client(ben_profile.user)

    for url, ana_sees, ben_sees in [
        (HOME, "Quarterly books", "Menu photos"),
        (MY_APPLICATIONS, "Bakery window project", "Garage sign project"),
    ]:
        for_ana, for_ben = kept(ana, url), kept(ben, url)
        assert ana_sees in for_ana and ben_sees not in for_ana
        assert ben_sees in for_ben and ana_sees not in for_ben


def test_each_browser_gets_form_tokens_it_can_send_back():
    """The same person on a laptop and a phone: each browser's kept page carries that browser's CSRF tokens."""
    user = student()
    laptop = signed_in_client(user, enforce_csrf_checks=True)
    phone = signed_in_client(user, enforce_csrf_checks=True)
    kept(laptop, HOME)

    phone_page = kept(phone, HOME)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', phone_page).group(1)
    response = phone.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert "Log in" in page(phone, HOME)
    assert "Log out" in page(laptop, HOME)


def test_what_someone_does_shows_on_their_pages_at_once(django_capture_on_commit_callbacks):
    project = ProjectFactory(title="Inventory spreadsheet")
    applicant = student()
    client = signed_in_client(applicant)
    assert "Inventory spreadsheet" not in kept(client, MY_APPLICATIONS)

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(
            reverse("projects:apply", args=[project.pk]),
            {"cover_note": "I keep the stock sheet at my job.", "confirmed_availability": "on"},
            follow=True,  # the page after it shows the "sent" message, so the next one could come from the cache
        )

    assert "Application sent" in applied.content.decode()
    assert "Inventory spreadsheet" in page(client, MY_APPLICATIONS)


def test_what_others_do_shows_at_once(django_capture_on_commit_callbacks):
    project = ProjectFactory(title="Donor database")
    owner_user = BusinessOwnerFactory(business=project.business)
    owner = signed_in_client(owner_user)
    applicant = student(user__full_name="Ana Lopez")
    ana = signed_in_client(applicant)
    assert "Ana Lopez" not in kept(owner, reverse("businesses:applicants", args=[project.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        ana.post(
            reverse("projects:apply", args=[project.pk]),
            {"cover_note": "I built the club's members list.", "confirmed_availability": "on"},
        )
    assert "Ana Lopez" in page(owner, reverse("businesses:applicants", args=[project.pk]))
    assert "Submitted" in kept(ana, MY_APPLICATIONS)

    application = applicant.applications.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_application(
            actor=owner_user, application=application, to_status=ApplicationStatus.DECLINED, message="Filled."
        )

    assert "Declined" in page(ana, MY_APPLICATIONS)


def test_a_new_notification_shows_in_the_header_at_once(django_capture_on_commit_callbacks):
    user = student()
    client = signed_in_client(user)
    assert "unread" not in kept(client, HOME)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, kind=Kind.ACCOUNT, title="Your offer arrived", send_email=False)

    assert '1<span class="visually-hidden"> unread' in page(client, HOME)


def test_new_matches_show_on_the_home_page_at_once(django_capture_on_commit_callbacks):
    skill = SkillFactory(name="Bookkeeping")
    ProjectFactory(title="Quarterly books", required_skills=[skill])
    profile = StudentProfileFactory()
    refresh_student(profile.pk)
    client = signed_in_client(profile.user)
    assert "Quarterly books" not in kept(client, HOME)

    profile.skills.create(skill=skill, level="intermediate")
    with django_capture_on_commit_callbacks(execute=True):
        refresh_student(profile.pk)

    assert "Quarterly books" in page(client, HOME)


def test_a_project_published_edited_filled_or_closed_shows_on_signed_in_pages_at_once(
    django_capture_on_commit_callbacks,
):
    client = signed_in_client(student())
    project = ProjectFactory(title="Fresh posting", status=ProjectStatus.SUBMITTED, published_at=None, openings=1)
    owner = BusinessOwnerFactory(business=project.business)
    other = ProjectFactory(title="Second posting")
    assert "Fresh posting" not in kept(client, BROWSE)

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_project(actor=StaffFactory(), project=project, to_status=ProjectStatus.PUBLISHED)
    assert "Fresh posting" in kept(client, BROWSE)
    assert "Fresh posting" in kept(client, project.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        services.update_project(
            actor=owner,
            project=project,
            data={"title": "Renamed posting", "summary": "Now with a clearer summary."},
            deliverables=list(project.deliverables.values_list("title", flat=True)),
            skills={"required_skills": list(project.required_skills.all())},
        )
    assert "Renamed posting" in kept(client, BROWSE)
    assert "Now with a clearer summary." in kept(client, project.get_absolute_url())

    offered = ApplicationFactory(project=project, status=ApplicationStatus.OFFERED)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_application(
            actor=offered.student, application=offered, to_status=ApplicationStatus.ACCEPTED
        )
    assert "Renamed posting" not in kept(client, BROWSE)

    assert "Second posting" in kept(client, BROWSE)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_project(
            actor=BusinessOwnerFactory(business=other.business), project=other, to_status=ProjectStatus.CLOSED
        )
    assert "Second posting" not in page(client, BROWSE)


def test_staff_moderating_a_project_shows_on_its_business_dashboard_at_once(django_capture_on_commit_callbacks):
    project = ProjectFactory(title="Menu photos", status=ProjectStatus.SUBMITTED, published_at=None)
    owner = signed_in_client(BusinessOwnerFactory(business=project.business))
    assert "Changes needed" not in kept(owner, DASHBOARD)

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_project(
            actor=StaffFactory(), project=project, to_status=ProjectStatus.REJECTED, reason="Say what the fee covers."
        )

    assert "Changes needed" in page(owner, DASHBOARD)


def test_a_page_is_not_served_from_the_cache_while_a_message_waits(django_capture_on_commit_callbacks):
    project = ProjectFactory(title="Flyer design")
    client = signed_in_client(student())
    kept(client, MY_APPLICATIONS)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:apply", args=[project.pk]),
            {"cover_note": "I design the club's flyers.", "confirmed_availability": "on"},
        )
    application_page = page(client, response.url)
    assert "Application sent" in application_page

    mine = kept(client, MY_APPLICATIONS)
    assert "Flyer design" in mine and "Application sent" not in mine


def test_a_session_ended_elsewhere_gets_no_kept_page(django_capture_on_commit_callbacks):
    user = student()
    old_browser = signed_in_client(user)
    assert "Log out" in kept(old_browser, HOME)

    with django_capture_on_commit_callbacks(execute=True):
        user.set_password("a new long passphrase")
        user.save()

    after = page(old_browser, HOME)
    assert "Log out" not in after and "Log in" in after


def test_visitors_never_get_a_signed_in_page():
    ProjectFactory(title="Shared posting")
    for url in (HOME, BROWSE):
        kept(signed_in_client(student()), url)

        for_visitor = kept(Client(), url)

        assert "Log out" not in for_visitor and "Log in" in for_visitor
    assert "Shared posting" in for_visitor

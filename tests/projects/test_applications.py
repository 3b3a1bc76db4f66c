import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from activity.selectors import history_of
from engagements.models import Engagement
from notifications.enums import Kind
from notifications.models import Notification
from projects import selectors, services
from projects.enums import ApplicationStatus, ProjectStatus
from projects.models import Application
from tests.factories import BusinessOwnerFactory, StaffFactory, UserFactory, client_for, sign_in
from tests.helpers import status_changes
from tests.projects.factories import ApplicationFactory, ProjectFactory
from tests.students.factories import StudentProfileFactory, student

pytestmark = pytest.mark.django_db


def owner_of(project):
    return BusinessOwnerFactory(business=project.business)


def apply_url(project):
    return reverse("projects:apply", args=[project.pk])


def notifications_for(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


# --- Applying ---------------------------------------------------------------------------------


def test_a_student_applies_with_a_note_and_answers_and_the_business_hears(client, django_capture_on_commit_callbacks):
    project = ProjectFactory(screening_questions=["Show us a post you made"])
    owner = owner_of(project)
    applicant = student()
    client.force_login(applicant)

    page = client.get(apply_url(project)).content.decode()
    assert "10 hours a week for 4 weeks" in page
    assert "you said you have 15" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url(project),
            {
                "cover_note": "I run my church's Instagram.",
                "answer_0": "instagram.com/p/1",
                "confirmed_availability": "on",
            },
            follow=True,
        )

    application = Application.objects.get(project=project, student=applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.answers == ["instagram.com/p/1"]
    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    assert "Application sent" in response.content.decode()
    assert notifications_for(owner, Kind.NEW_APPLICATION) == [f"New applicant for “{project.title}”"]
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert status_changes(application) == [(applicant, "", "submitted", "")]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"cover_note": "", "answer_0": "My answer", "confirmed_availability": "on"}, "cover_note", "required"),
        ({"cover_note": "Hello", "answer_0": "", "confirmed_availability": "on"}, "answer_0", "Answer this question"),
        ({"cover_note": "Hello", "answer_0": "My answer"}, "confirmed_availability", "Confirm that you can give"),
        ({"cover_note": "x" * 2001, "answer_0": "My answer", "confirmed_availability": "on"}, "cover_note", "2000"),
    ],
)
def test_a_bad_application_says_why_and_keeps_what_was_typed(client, data, field, message):
    project = ProjectFactory(screening_questions=["Why us?"])
    client.force_login(student())

    response = client.post(apply_url(project), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    for name, value in data.items():
        if name != field and name != "confirmed_availability":
            assert form[name].value() == value
    assert not Application.objects.exists()


def test_applying_twice_is_refused_and_shows_the_first_application(client):
    application = ApplicationFactory()
    client.force_login(application.student)

    response = client.post(
        apply_url(application.project), {"cover_note": "Again", "confirmed_availability": "on"}, follow=True
    )

    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    assert "already applied" in response.content.decode()
    assert Application.objects.count() == 1
    with pytest.raises(ValidationError, match="already applied"):
        services.apply_to_project(
            actor=application.student,
            project=application.project,
            cover_note="Again",
            answers=[],
            confirmed_availability=True,
        )


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.CLOSED])
def test_unpublished_and_closed_projects_cannot_be_applied_to(client, status):
    project = ProjectFactory(status=status)
    applicant = student()
    client.force_login(applicant)

    assert client.get(apply_url(project)).status_code == 404
    with pytest.raises(ValidationError, match="isn't taking applications"):
        services.apply_to_project(
            actor=applicant, project=project, cover_note="Hi", answers=[], confirmed_availability=True
        )


def test_applying_after_the_apply_by_date_is_refused_with_the_date(client):
    project = ProjectFactory(apply_by=timezone.localdate() - timedelta(days=1))
    client.force_login(student())

    response = client.get(apply_url(project), follow=True)

    assert "Applications for this project closed on" in response.content.decode()
    assert response.redirect_chain[-1][0] == project.get_absolute_url()


def test_a_student_without_a_finished_profile_is_sent_to_finish_it(client):
    project = ProjectFactory()
    half_done = StudentProfileFactory(onboarding_completed_at=None).user
    client.force_login(half_done)

    response = client.get(apply_url(project))

    assert response.status_code == 302
    assert response.url.startswith(reverse("students:onboarding"))
    with pytest.raises(ValidationError, match="Finish your profile"):
        services.apply_to_project(
            actor=half_done, project=project, cover_note="Hi", answers=[], confirmed_availability=True
        )


def test_a_business_member_cannot_apply(client):
    project = ProjectFactory()
    client.force_login(BusinessOwnerFactory())

    response = client.get(apply_url(project), follow=True)

    assert "Only student accounts can apply" in response.content.decode()
    assert not Application.objects.exists()


def test_the_apply_form_warns_when_the_project_does_not_fit_the_students_week(client):
    project = ProjectFactory(hours_per_week=20)
    client.force_login(student(windows=[]))

    page = client.get(apply_url(project)).content.decode()

    assert "It needs 20 h/week, more than the 15 you said you have." in page
    assert "added the dates you can work." in page


# --- My applications ------------------------------------------------------------------------


def test_my_applications_lists_mine_with_state_and_last_change(client, django_assert_num_queries):
    mine = ApplicationFactory()
    for _ in range(3):
        ApplicationFactory(student=mine.student)
    someone_elses = ApplicationFactory()
    client.force_login(mine.student)

    # Session, user, count, page of applications (with project and business), unread notifications.
    with django_assert_num_queries(5):
        page = client.get(reverse("projects:my_applications")).content.decode()

    assert mine.project.title in page
    assert someone_elses.project.title not in page
    assert page.count("since") == 4


def test_a_student_never_sees_another_students_application(client):
    application = ApplicationFactory()
    client.force_login(student())

    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.post(reverse("projects:application_withdraw", args=[application.pk])).status_code == 404
    offer_url = reverse("projects:offer_respond", args=[application.pk])
    assert client.post(offer_url, {"answer": "accept"}).status_code == 404


def test_withdrawing_asks_first_then_tells_the_business(client):
    application = ApplicationFactory(status=ApplicationStatus.SHORTLISTED)
    owner = owner_of(application.project)
    client.force_login(application.student)
    url = reverse("projects:application_withdraw", args=[application.pk])

    assert "Withdraw your application?" in client.get(url).content.decode()
    client.post(url)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert notifications_for(owner, Kind.OFFER_RESPONSE)


def test_an_accepted_offer_cannot_be_withdrawn():
    application = ApplicationFactory(status=ApplicationStatus.OFFERED)
    services.transition_application(
        application=application, to_status=ApplicationStatus.ACCEPTED, actor=application.student
    )

    with pytest.raises(ValidationError, match="can't become withdrawn"):
        services.transition_application(
            application=application, to_status=ApplicationStatus.WITHDRAWN, actor=application.student
        )


# --- Transitions and who may make them ---------------------------------------------------------


# The moves an application may make, written out from the design rather than read from projects.enums.
ALLOWED_MOVES = {
    ("submitted", "shortlisted"),
    ("submitted", "offered"),
    ("submitted", "declined"),
    ("submitted", "withdrawn"),
    ("submitted", "expired"),
    ("shortlisted", "offered"),
    ("shortlisted", "declined"),
    ("shortlisted", "withdrawn"),
    ("shortlisted", "expired"),
    ("offered", "accepted"),
    ("offered", "declined"),
    ("offered", "withdrawn"),
    ("offered", "expired"),
}
STATES = ["submitted", "shortlisted", "offered", "accepted", "declined", "withdrawn", "expired"]
ALL_PAIRS = [(a, b) for a in STATES for b in STATES if a != b]


def test_the_states_are_the_designed_ones():
    assert sorted(ApplicationStatus.values) == sorted(STATES)


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_only_the_designed_transitions_are_allowed(from_status, to_status):
    application = ApplicationFactory(status=from_status)
    owner = owner_of(application.project)
    by_student = to_status in {ApplicationStatus.WITHDRAWN, ApplicationStatus.ACCEPTED} or (
        to_status == ApplicationStatus.DECLINED and from_status == ApplicationStatus.OFFERED
    )
    actor = None if to_status == ApplicationStatus.EXPIRED else application.student if by_student else owner

    if (from_status, to_status) in ALLOWED_MOVES:
        services.transition_application(application=application, to_status=to_status, actor=actor)
        application.refresh_from_db()
        assert application.status == to_status
        assert status_changes(application)[0] == (actor, from_status, to_status, "")
    else:
        with pytest.raises(ValidationError):
            services.transition_application(application=application, to_status=to_status, actor=actor)
        application.refresh_from_db()
        assert application.status == from_status


@pytest.mark.parametrize(
    ("to_status", "who"),
    [
        (ApplicationStatus.SHORTLISTED, "student"),
        (ApplicationStatus.OFFERED, "student"),
        (ApplicationStatus.WITHDRAWN, "owner"),
        (ApplicationStatus.SHORTLISTED, "other business"),
        (ApplicationStatus.EXPIRED, "owner"),
        (ApplicationStatus.DECLINED, "stranger"),
    ],
)
def test_each_side_may_only_make_its_own_moves(to_status, who):
    application = ApplicationFactory()
    actor = {
        "student": application.student,
        "owner": owner_of(application.project),
        "other business": BusinessOwnerFactory(),
        "stranger": student(),
    }[who]

    with pytest.raises(PermissionDenied):
        services.transition_application(application=application, to_status=to_status, actor=actor)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_only_the_student_accepts_their_offer():
    application = ApplicationFactory(status=ApplicationStatus.OFFERED)

    with pytest.raises(PermissionDenied):
        services.transition_application(
            application=application, to_status=ApplicationStatus.ACCEPTED, actor=owner_of(application.project)
        )


# --- The business side ---------------------------------------------------------------------------


def test_the_business_sees_equal_matches_newest_first_with_profile_and_answers(client, django_assert_num_queries):
    project = ProjectFactory(screening_questions=["Why us?"])
    older = ApplicationFactory(project=project, answers=["Because bread"])
    newer = ApplicationFactory(project=project, answers=["I love the shop"])
    Application.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))
    ApplicationFactory()  # to another business's project
    client.force_login(owner_of(project))
    url = reverse("businesses:applicants", args=[project.pk])

    page = client.get(url).content.decode()

    assert page.index(newer.student.get_full_name()) < page.index(older.student.get_full_name())
    assert "Because bread" in page
    assert reverse("students:applicant", args=[older.student.student_profile.pk]) in page
    for _ in range(3):
        ApplicationFactory(project=project)
    # Session, user, membership, business, project, status counts, every applicant, their skills, the unread
    # count, and scoring them all: the project (row, required, nice-to-have, interests, interest slugs) and
    # the students (rows, skills, interests, dates). Skill and interest names come when reasons cite any.
    with django_assert_num_queries(18):
        client.get(url)


def test_another_business_gets_404_for_my_applicants_and_decisions(client):
    application = ApplicationFactory()
    client.force_login(BusinessOwnerFactory())

    assert client.get(reverse("businesses:applicants", args=[application.project.pk])).status_code == 404
    for decision in ("shortlist", "offer", "decline"):
        url = reverse("businesses:application_decide", args=[application.pk, decision])
        assert client.post(url).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_shortlisting_offering_and_declining_tell_the_student(client, django_capture_on_commit_callbacks):
    project = ProjectFactory(openings=2)
    first, second = ApplicationFactory(project=project), ApplicationFactory(project=project)
    client.force_login(owner_of(project))

    client.post(reverse("businesses:application_decide", args=[first.pk, "shortlist"]))
    client.post(reverse("businesses:application_decide", args=[first.pk, "offer"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("businesses:application_decide", args=[second.pk, "decline"]),
            {"message": "We loved your portfolio; apply again next term."},
            follow=True,
        )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ApplicationStatus.OFFERED
    assert first.offer_expires_at == first.status_changed_at + timedelta(days=5)
    assert first.first_response_at is not None
    assert set(notifications_for(first.student, Kind.APPLICATION_DECISION)) == {
        f"Offer: “{project.title}” with {project.business.name}",
        f"You're on the shortlist for “{project.title}”",
    }
    assert second.status == ApplicationStatus.DECLINED
    assert "has been told" in response.content.decode()
    declined = Notification.objects.get(recipient=second.student)
    assert "apply again next term" in declined.body
    assert mail.outbox[-1].to == [second.student.email]


def test_an_offer_asks_first_and_carries_a_start_date_and_a_message(client):
    today = timezone.localdate()
    project = ProjectFactory(earliest_start=today + timedelta(days=21), apply_by=today + timedelta(days=14))
    application = ApplicationFactory(project=project)
    client.force_login(owner_of(project))
    offer_url = reverse("businesses:make_offer", args=[application.pk])

    applicants = client.get(reverse("businesses:applicants", args=[project.pk])).content.decode()
    assert f'href="{offer_url}">Make an offer…</a>' in applicants
    page = client.get(offer_url).content.decode()
    assert "Send the offer" in page and "$1,200 for 40 hours" in page
    assert f'value="{project.earliest_start:%Y-%m-%d}"' in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED  # looking is not offering

    too_early = client.post(
        offer_url, {"proposed_start": str(project.earliest_start - timedelta(days=1)), "message": "Welcome aboard!"}
    )
    assert "propose that date or a later one" in too_early.content.decode()
    assert "Welcome aboard!" in too_early.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    start = project.earliest_start + timedelta(days=7)
    response = client.post(offer_url, {"proposed_start": str(start), "message": "Welcome aboard!"}, follow=True)
    assert "Offer sent to" in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.proposed_start) == (ApplicationStatus.OFFERED, start)
    offer = Notification.objects.get(recipient=application.student, kind=Kind.APPLICATION_DECISION)
    assert f"starting {start:%a %-d %b %Y}" in offer.body and "Welcome aboard!" in offer.body

    client.force_login(application.student)
    seen = client.get(reverse("projects:application", args=[application.pk])).content.decode()
    assert f">{start:%a %-d %b %Y}</time>, for $1,200." in seen
    assert "Welcome aboard!" in seen


def test_an_offer_without_a_date_starts_on_the_advertised_date():
    application = ApplicationFactory()
    services.transition_application(
        application=application, to_status=ApplicationStatus.OFFERED, actor=owner_of(application.project)
    )
    application.refresh_from_db()
    assert application.proposed_start == application.project.earliest_start


def test_an_unknown_decision_is_a_404(client):
    application = ApplicationFactory()
    client.force_login(owner_of(application.project))

    assert client.post(reverse("businesses:application_decide", args=[application.pk, "hire"])).status_code == 404


# --- Offers, openings and filling ----------------------------------------------------------------


def test_accepting_the_last_offer_starts_the_work_and_answers_everyone_else(client):
    project = ProjectFactory(openings=1, deliverables=["Audit"])
    offered = ApplicationFactory(project=project, status=ApplicationStatus.OFFERED)
    waiting = ApplicationFactory(project=project)
    shortlisted = ApplicationFactory(project=project, status=ApplicationStatus.SHORTLISTED)
    already_declined = ApplicationFactory(project=project, status=ApplicationStatus.DECLINED)
    owner = owner_of(project)
    client.force_login(offered.student)

    response = client.post(reverse("projects:offer_respond", args=[offered.pk]), {"answer": "accept"}, follow=True)

    engagement = Engagement.objects.get(application=offered)
    assert response.redirect_chain[-1][0] == engagement.get_absolute_url()
    assert engagement.student == offered.student and engagement.business == project.business
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS
    for application in (waiting, shortlisted):
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DECLINED
        assert "Every opening on this project has now been filled" in application.status_message
        assert notifications_for(application.student, Kind.APPLICATION_DECISION)
    already_declined.refresh_from_db()
    assert status_changes(already_declined) == []
    assert notifications_for(owner, Kind.OFFER_RESPONSE) == [
        f"{offered.student.get_full_name()} accepted your offer for “{project.title}”"
    ]


def test_with_two_openings_the_first_acceptance_leaves_the_project_open():
    project = ProjectFactory(openings=2)
    first = ApplicationFactory(project=project, status=ApplicationStatus.OFFERED)
    other = ApplicationFactory(project=project)

    services.transition_application(application=first, to_status=ApplicationStatus.ACCEPTED, actor=first.student)

    project.refresh_from_db()
    other.refresh_from_db()
    assert project.status == ProjectStatus.PUBLISHED
    assert other.status == ApplicationStatus.SUBMITTED


def test_declining_an_offer_tells_the_business(client):
    application = ApplicationFactory(status=ApplicationStatus.OFFERED)
    owner = owner_of(application.project)
    client.force_login(application.student)

    client.post(reverse("projects:offer_respond", args=[application.pk]), {"answer": "decline"})

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert notifications_for(owner, Kind.OFFER_RESPONSE)
    assert not Engagement.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_students_accepting_the_last_opening_at_once_cannot_both_succeed():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises writers anyway.")
    project = ProjectFactory(openings=1)
    offers = [ApplicationFactory(project=project, status=ApplicationStatus.OFFERED) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(application):
        try:
            barrier.wait()
            services.transition_application(
                application=application, to_status=ApplicationStatus.ACCEPTED, actor=application.student
            )
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(offer,)) for offer in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 2
    assert outcomes.count("accepted") == 1
    assert Application.objects.filter(status=ApplicationStatus.ACCEPTED).count() == 1
    assert Engagement.objects.count() == 1
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS


def test_no_offer_can_be_made_once_every_opening_is_filled():
    project = ProjectFactory(openings=1)
    ApplicationFactory(project=project, status=ApplicationStatus.ACCEPTED)
    waiting = ApplicationFactory(project=project)

    with pytest.raises(ValidationError, match="already been filled"):
        services.transition_application(
            application=waiting, to_status=ApplicationStatus.OFFERED, actor=owner_of(project)
        )


def test_closing_a_project_answers_everyone_still_waiting():
    project = ProjectFactory()
    waiting = ApplicationFactory(project=project, status=ApplicationStatus.OFFERED)

    services.transition_project(project=project, to_status=ProjectStatus.CLOSED, actor=owner_of(project))

    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.DECLINED
    assert "closed this project" in waiting.status_message
    assert notifications_for(waiting.student, Kind.APPLICATION_DECISION)


# --- Nobody left without an answer (frozen clock) -------------------------------------------------


def test_an_unanswered_offer_expires_after_five_days_and_both_sides_hear():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        application = ApplicationFactory()
        owner = owner_of(application.project)
        services.transition_application(application=application, to_status=ApplicationStatus.OFFERED, actor=owner)
    with time_machine.travel(start + timedelta(days=5) - timedelta(minutes=1), tick=False):
        assert services.chase_applications()["expired_offers"] == 0
    with time_machine.travel(start + timedelta(days=5, minutes=1), tick=False):
        assert services.chase_applications()["expired_offers"] == 1
        assert services.chase_applications()["expired_offers"] == 0

    application.refresh_from_db()
    assert application.status == ApplicationStatus.EXPIRED
    assert notifications_for(owner, Kind.OFFER_RESPONSE) == [
        f"Your offer to {application.student.get_full_name()} for “{application.project.title}” expired"
    ]
    assert notifications_for(application.student, Kind.APPLICATION_DECISION)[0].endswith("has closed")


def test_the_business_is_reminded_once_after_seven_days_and_the_application_expires_after_21():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        project = ProjectFactory()
        owner = owner_of(project)
        waiting = [ApplicationFactory(project=project) for _ in range(2)]
    with time_machine.travel(start + timedelta(days=6, hours=23), tick=False):
        assert services.chase_applications()["reminders"] == 0
    with time_machine.travel(start + timedelta(days=7, hours=1), tick=False):
        assert services.chase_applications()["reminders"] == 1
        assert services.chase_applications()["reminders"] == 0
    assert notifications_for(owner, Kind.APPLICATION_REMINDER) == [
        f"2 applicants to “{project.title}” waiting for an answer"
    ]
    with time_machine.travel(start + timedelta(days=21, hours=1), tick=False):
        assert services.chase_applications()["expired_applications"] == 2

    for application in waiting:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.EXPIRED
        message = Notification.objects.get(recipient=application.student).body
        assert "didn't make a decision in time" in message


def test_shortlisting_restarts_the_clock():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        application = ApplicationFactory()
    with time_machine.travel(start + timedelta(days=20), tick=False):
        services.transition_application(
            application=application,
            to_status=ApplicationStatus.SHORTLISTED,
            actor=owner_of(application.project),
        )
    with time_machine.travel(start + timedelta(days=22), tick=False):
        services.chase_applications()

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED


def test_the_project_page_shows_the_median_time_to_first_response(client):
    project = ProjectFactory()
    owner = owner_of(project)
    for days in (1, 3, 10):
        application = ApplicationFactory(project=project)
        Application.objects.filter(pk=application.pk).update(created_at=timezone.now() - timedelta(days=days))
        services.transition_application(application=application, to_status=ApplicationStatus.DECLINED, actor=owner)

    assert selectors.median_first_response(project.business).days == 3
    page = client.get(project.get_absolute_url()).content.decode()
    assert "usually answers applicants within 3 days" in page


def test_staff_see_each_applications_audit_trail(client):
    application = ApplicationFactory()
    owner = owner_of(application.project)
    services.transition_application(application=application, to_status=ApplicationStatus.SHORTLISTED, actor=owner)
    sign_in(client, StaffFactory())

    page = client.get(reverse("admin:projects_application_change", args=[application.pk])).content.decode()
    listing = client.get(reverse("admin:projects_application_changelist"), {"status": "shortlisted"})

    assert "History" in page and "shortlisted" in page
    assert application.project.title in listing.content.decode()
    assert status_changes(application) == [(owner, "submitted", "shortlisted", "")]


def test_staff_suspend_a_student_who_then_cannot_use_the_site(client):
    suspended = UserFactory()
    client.force_login(suspended)
    staff = StaffFactory()
    admin_client = client_for(staff)

    admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "action_suspended", "_selected_action": [suspended.pk], "apply": "1", "reason": "Spam"},
    )

    suspended.refresh_from_db()
    assert not suspended.is_active and suspended.suspension_reason == "Spam"
    assert [(entry.actor, entry.verb, entry.reason) for entry in history_of(suspended)] == [
        (staff, "suspended", "Spam")
    ]
    assert client.get(reverse("projects:my_applications")).status_code == 302

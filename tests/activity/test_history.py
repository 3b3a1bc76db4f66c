"""Every state change and every step of the work is recorded once, with who did it and why."""

import pytest

from accounts.services import reinstate_user, suspend_user
from activity.selectors import history_of
from engagements import services as engagements
from tests.engagements.factories import EngagementFactory, SubmissionFactory
from tests.factories import BusinessOwnerFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def what_happened(target) -> list[tuple]:
    return [(entry.actor, entry.verb, entry.from_state, entry.to_state, entry.reason) for entry in history_of(target)]


def test_suspending_and_reinstating_keep_who_did_it_and_why():
    person = UserFactory()
    staff = StaffFactory()

    suspend_user(user=person, actor=staff, reason="Sent spam to three businesses")
    reinstate_user(user=person, actor=staff, reason="Apologised; first warning")

    person.refresh_from_db()
    assert person.is_active and person.suspension_reason == ""
    assert what_happened(person) == [
        (staff, "suspended", "", "", "Sent spam to three businesses"),
        (staff, "reinstated", "", "", "Apologised; first warning"),
    ]


def test_the_work_of_an_engagement_is_recorded_step_by_step():
    engagement = EngagementFactory(project__deliverables=["Content calendar"])
    owner = BusinessOwnerFactory(business=engagement.business)
    student = engagement.student
    deliverable = engagement.project.deliverables.get()

    [handed_in] = engagements.submit_deliverables(
        actor=student, engagement=engagement, items=[(deliverable, "https://docs.example.org/cal", None, "")]
    )
    engagements.review_submissions(actor=owner, engagement=engagement, decisions=[(handed_in, True, "Lovely")])
    engagements.complete_engagement(actor=owner, engagement=engagement, payment_sent=True, feedback=(5, "Great", True))
    engagements.confirm_payment_received(actor=student, engagement=engagement, feedback=(4, "Kind people"))

    assert what_happened(engagement) == [
        (student, "work_handed_in", "", "", "Content calendar"),
        (owner, "work_reviewed", "", "accepted", "Content calendar: Lovely"),
        (owner, "status_changed", "active", "completed", ""),
        (owner, "payment_sent", "", "", ""),
        (owner, "feedback_left", "", "business_to_student", ""),
        (student, "payment_received", "", "", ""),
        (student, "feedback_left", "", "student_to_business", ""),
    ]


def test_asking_for_changes_records_what_to_change():
    submission = SubmissionFactory()
    owner = BusinessOwnerFactory(business=submission.engagement.business)

    engagements.review_submissions(
        actor=owner, engagement=submission.engagement, decisions=[(submission, False, "Add the June dates")]
    )

    assert what_happened(submission.engagement) == [
        (owner, "work_reviewed", "", "changes_requested", "Content calendar: Add the June dates")
    ]

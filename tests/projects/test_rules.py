"""Who may move a project or an application, written out from the design, and the flags pages show."""

import pytest
from django.core.exceptions import PermissionDenied

from projects import rules
from projects.enums import ApplicationStatus, ProjectStatus
from tests.factories import BusinessOwnerFactory, StaffFactory
from tests.projects.factories import ApplicationFactory, ProjectFactory
from tests.students.factories import student

pytestmark = pytest.mark.django_db

# (from, to) → the people who may make the move. "system" is nobody acting (expiry, filling, completing).
PROJECT_MOVERS = {
    ("draft", "submitted"): {"owner"},
    ("draft", "closed"): {"owner", "staff", "system"},
    ("submitted", "published"): {"staff"},
    ("submitted", "rejected"): {"staff"},
    ("submitted", "closed"): {"owner", "staff", "system"},
    ("rejected", "submitted"): {"owner"},
    ("rejected", "closed"): {"owner", "staff", "system"},
    ("published", "in_progress"): {"system", "accepted student"},
    ("published", "closed"): {"owner", "staff", "system"},
    ("published", "submitted"): {"owner"},
    ("in_progress", "completed"): {"owner", "system"},
}
PEOPLE = ["owner", "other owner", "staff", "student", "accepted student", "system"]


def person(kind: str, project):
    if kind == "system":
        return None
    if kind == "accepted student":
        return ApplicationFactory(project=project, status=ApplicationStatus.ACCEPTED).student
    return {
        "owner": lambda: BusinessOwnerFactory(business=project.business),
        "other owner": BusinessOwnerFactory,
        "staff": StaffFactory,
        "student": student,
    }[kind]()


@pytest.mark.parametrize(("move", "who"), [(move, who) for move in PROJECT_MOVERS for who in PEOPLE])
def test_each_project_move_is_open_to_exactly_the_designed_people(move, who):
    from_status, to_status = move
    project = ProjectFactory(status=from_status)

    refusal = rules.project_move_refusal(person(who, project), project, to_status)

    if who in PROJECT_MOVERS[move]:
        assert refusal is None
    else:
        assert isinstance(refusal, PermissionDenied)


# (from, to) → who may make the move on an application.
APPLICATION_MOVERS = {
    ("submitted", "shortlisted"): {"owner"},
    ("submitted", "offered"): {"owner"},
    ("submitted", "declined"): {"owner", "system"},
    ("submitted", "withdrawn"): {"applicant"},
    ("submitted", "expired"): {"system"},
    ("shortlisted", "offered"): {"owner"},
    ("shortlisted", "declined"): {"owner", "system"},
    ("shortlisted", "withdrawn"): {"applicant"},
    ("shortlisted", "expired"): {"system"},
    ("offered", "accepted"): {"applicant"},
    ("offered", "declined"): {"owner", "applicant", "system"},
    ("offered", "withdrawn"): {"applicant"},
    ("offered", "expired"): {"system"},
}
APPLICATION_PEOPLE = ["owner", "other owner", "staff", "applicant", "other student", "system"]


@pytest.mark.parametrize(("move", "who"), [(move, who) for move in APPLICATION_MOVERS for who in APPLICATION_PEOPLE])
def test_each_application_move_is_open_to_exactly_the_designed_people(move, who):
    from_status, to_status = move
    application = ApplicationFactory(status=from_status)
    actor = {
        "owner": lambda: BusinessOwnerFactory(business=application.project.business),
        "other owner": BusinessOwnerFactory,
        "staff": StaffFactory,
        "applicant": lambda: application.student,
        "other student": student,
        "system": lambda: None,
    }[who]()

    refusal = rules.application_move_refusal(actor, application, to_status)

    if who in APPLICATION_MOVERS[move]:
        assert refusal is None
    else:
        assert isinstance(refusal, PermissionDenied)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("draft", {"edit", "send_for_review", "withdraw"}),
        ("submitted", {"edit", "withdraw"}),
        ("rejected", {"edit", "send_for_review", "withdraw"}),
        ("published", {"edit", "withdraw", "invite", "see_applicants", "apply", "report"}),
        ("in_progress", {"see_applicants"}),
        ("completed", {"see_applicants"}),
        ("closed", {"see_applicants"}),
    ],
)
def test_the_business_project_page_offers_what_the_state_allows(status, expected):
    project = ProjectFactory(status=status)
    owner = BusinessOwnerFactory(business=project.business)

    flags = rules.project_flags(owner, project)

    assert {name for name, allowed in flags.items() if allowed} == expected
    assert {name for name, allowed in rules.project_flags(BusinessOwnerFactory(), project).items() if allowed} <= {
        "apply",
        "report",
    }


@pytest.mark.parametrize(
    ("status", "owner_sees", "applicant_sees"),
    [
        ("submitted", {"shortlist", "offer", "decline"}, {"withdraw"}),
        ("shortlisted", {"offer", "decline"}, {"withdraw"}),
        ("offered", {"decline"}, {"answer_offer", "withdraw"}),
        ("accepted", set(), set()),
        ("declined", set(), set()),
    ],
)
def test_applicant_cards_and_the_application_page_offer_what_each_side_may_do(status, owner_sees, applicant_sees):
    application = ApplicationFactory(status=status, project__status=ProjectStatus.PUBLISHED)
    owner = BusinessOwnerFactory(business=application.project.business)

    def shown(user):
        return {name for name, allowed in rules.application_flags(user, application).items() if allowed}

    assert shown(owner) == owner_sees
    assert shown(application.student) == applicant_sees
    assert shown(StaffFactory()) == set()

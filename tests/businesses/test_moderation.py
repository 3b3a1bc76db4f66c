import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from businesses.enums import BusinessStatus
from businesses.models import Business
from businesses.services import transition_business
from notifications.enums import Kind
from notifications.models import Notification
from tests.factories import BusinessFactory, BusinessOwnerFactory, StaffFactory, sign_in
from tests.helpers import status_changes

pytestmark = pytest.mark.django_db

# The moves staff may make, written out from the design rather than read from businesses.enums.
ALLOWED_MOVES = {
    ("pending", "approved"),
    ("pending", "rejected"),
    ("pending", "suspended"),
    ("approved", "suspended"),
    ("rejected", "approved"),
    ("suspended", "approved"),
}
STATES = ["pending", "approved", "rejected", "suspended"]
ALL_PAIRS = [(a, b) for a in STATES for b in STATES if a != b]


def test_the_states_are_the_designed_ones():
    assert sorted(BusinessStatus.values) == sorted(STATES)


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_only_the_listed_business_transitions_are_allowed(from_status, to_status):
    business = BusinessFactory(status=from_status)
    staff = StaffFactory()
    if (from_status, to_status) in ALLOWED_MOVES:
        transition_business(business=business, to_status=to_status, actor=staff, reason="Checked")
        business.refresh_from_db()
        assert business.status == to_status
        assert status_changes(business) == [(staff, from_status, to_status, "Checked")]
    else:
        with pytest.raises(ValidationError):
            transition_business(business=business, to_status=to_status, actor=staff, reason="Checked")
        business.refresh_from_db()
        assert business.status == from_status
        assert status_changes(business) == []


@pytest.mark.parametrize("to_status", [BusinessStatus.REJECTED, BusinessStatus.SUSPENDED])
def test_rejecting_or_suspending_needs_a_reason(to_status):
    business = BusinessFactory(status=BusinessStatus.PENDING)
    with pytest.raises(ValidationError, match="reason"):
        transition_business(business=business, to_status=to_status, actor=StaffFactory(), reason="  ")
    business.refresh_from_db()
    assert business.status == BusinessStatus.PENDING


def test_the_owner_is_told_the_decision_and_the_reason(django_capture_on_commit_callbacks, mailoutbox):
    business = BusinessFactory(status=BusinessStatus.PENDING)
    owner = BusinessOwnerFactory(business=business)
    with django_capture_on_commit_callbacks(execute=True):
        transition_business(
            business=business, to_status=BusinessStatus.REJECTED, actor=StaffFactory(), reason="Website is offline"
        )
    notice = Notification.objects.get(recipient=owner)
    assert notice.kind == Kind.BUSINESS_DECISION
    assert "Website is offline" in notice.body
    assert [m.to for m in mailoutbox] == [[owner.email]]


def admin_action(client, action, ids, **extra):
    return client.post(
        reverse("admin:businesses_business_changelist"),
        {"action": action, "_selected_action": ids, **extra},
        follow=True,
    )


def test_staff_approve_in_admin_through_the_same_service(client):
    pending = BusinessFactory(status=BusinessStatus.PENDING)
    staff = StaffFactory()
    sign_in(client, staff)

    confirm_page = admin_action(client, "action_approved", [pending.pk])
    assert b"Approve selected businesses" in confirm_page.content
    admin_action(client, "action_approved", [pending.pk], apply="1", reason="")

    pending.refresh_from_db()
    assert pending.status == BusinessStatus.APPROVED
    assert status_changes(pending) == [(staff, "pending", "approved", "")]


def test_rejecting_in_admin_without_a_reason_asks_for_one_and_changes_nothing(client):
    pending = BusinessFactory(status=BusinessStatus.PENDING)
    sign_in(client, StaffFactory())

    response = admin_action(client, "action_rejected", [pending.pk], apply="1", reason="")

    assert b"A reason is required" in response.content
    pending.refresh_from_db()
    assert pending.status == BusinessStatus.PENDING

    admin_action(client, "action_rejected", [pending.pk], apply="1", reason="Not a real organisation")
    pending.refresh_from_db()
    assert (pending.status, pending.status_reason) == (BusinessStatus.REJECTED, "Not a real organisation")


def test_admin_lists_filter_and_search_businesses(client):
    BusinessFactory(name="Sunrise Bakery", status=BusinessStatus.PENDING, contact_email="rosa@sunrise.example")
    BusinessFactory(name="Moonlight Books", status=BusinessStatus.APPROVED)
    sign_in(client, StaffFactory())
    url = reverse("admin:businesses_business_changelist")

    pending_only = client.get(url, {"status__exact": "pending"}).content.decode()
    by_email = client.get(url, {"q": "rosa@sunrise"}).content.decode()

    assert "Sunrise Bakery" in pending_only and "Moonlight Books" not in pending_only
    assert "Sunrise Bakery" in by_email and "Moonlight Books" not in by_email
    assert Business.objects.count() == 2

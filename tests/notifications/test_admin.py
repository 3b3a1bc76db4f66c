import pytest
from django.core import mail
from django.urls import reverse

from notifications.enums import Channel, EmailStatus, Frequency, Kind, PreferenceSource
from notifications.services import claim_digest, notify
from tests.factories import StaffFactory, UserFactory, sign_in
from tests.notifications.broker import broker_down
from tests.notifications.factories import PreferenceFactory

pytestmark = pytest.mark.django_db


def test_support_can_see_who_turned_which_emails_off_and_how(client):
    ana, ben = UserFactory(email="ana@example.org"), UserFactory(email="ben@example.org")
    PreferenceFactory(user=ana, kind=Kind.PAYMENT, changed_via=PreferenceSource.UNSUBSCRIBE)
    PreferenceFactory(user=ben, kind=Kind.FEEDBACK, channel=Channel.IN_APP, frequency=Frequency.WEEKLY)
    sign_in(client, StaffFactory())

    page = client.get(
        reverse("admin:notifications_notificationpreference_changelist"), {"changed_via": "unsubscribe"}
    ).content.decode()

    assert "ana@example.org" in page
    assert "ben@example.org" not in page
    assert "Unsubscribe link in an email" in page


def test_support_can_see_a_digest_and_what_was_in_it(client):
    student = UserFactory(email="ana@example.org")
    notify(recipient=student, kind=Kind.NEW_MATCH, title="Bakery social media plan")
    digest = claim_digest(recipient_id=student.pk, frequency=Frequency.DAILY)
    sign_in(client, StaffFactory())

    listing = client.get(reverse("admin:notifications_digest_changelist"), {"status": EmailStatus.PENDING})
    detail = client.get(reverse("admin:notifications_digest_change", args=[digest.pk]))

    assert "ana@example.org" in listing.content.decode()
    assert "Bakery social media plan" in detail.content.decode()


def test_staff_can_queue_a_pending_digest_again(client):
    student = UserFactory()
    notify(recipient=student, kind=Kind.NEW_MATCH, title="A match")
    digest = claim_digest(recipient_id=student.pk, frequency=Frequency.DAILY)
    sign_in(client, StaffFactory())

    response = client.post(
        reverse("admin:notifications_digest_changelist"),
        {"action": "resend_digest", "_selected_action": [digest.pk]},
        follow=True,
    )

    assert "Queued 1 digest(s)." in response.content.decode()
    assert [m.subject for m in mail.outbox] == ["Your daily digest: 1 update"]


def test_queueing_an_email_again_with_the_broker_down_says_it_stays_pending(client):
    with broker_down():
        notification = notify(recipient=UserFactory(), kind=Kind.ACCOUNT, title="Your password was changed")
    sign_in(client, StaffFactory())

    with broker_down():
        response = client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "resend_email", "_selected_action": [notification.pk]},
            follow=True,
        )

    page = response.content.decode()
    assert "Queued 0 email(s)." in page
    assert "The task queue (Redis) is unreachable, so 1 email(s) were not queued. They stay pending" in page
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING

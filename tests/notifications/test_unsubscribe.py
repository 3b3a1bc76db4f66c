import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from notifications.enums import Channel, EmailStatus, Frequency, Kind, PreferenceSource
from notifications.models import NotificationPreference
from notifications.services import notify, send_digests
from notifications.tokens import make_unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNSUBSCRIBE_URL = re.compile(r"https://c2c\.test(/notifications/unsubscribe/[^/\s\"]+/)")


@pytest.fixture
def mail_client():
    """What a mail client or a mail scanner is: no session, and CSRF checks on."""
    return Client(enforce_csrf_checks=True)


def emailed(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        notify(**kwargs)
    return mail.outbox[-1]


def header_path(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://c2c.test/notifications/unsubscribe/") and header.endswith("/>")
    return UNSUBSCRIBE_URL.search(header).group(1)


def email_frequency(user, kind) -> str:
    return (
        NotificationPreference.objects.filter(user=user, kind=kind, channel=Channel.EMAIL)
        .values_list("frequency", flat=True)
        .first()
    )


def test_every_notification_email_carries_one_click_unsubscribe(django_capture_on_commit_callbacks):
    student = UserFactory()
    message = emailed(
        django_capture_on_commit_callbacks, recipient=student, kind=Kind.PAYMENT, title="You were paid $400"
    )

    path = header_path(message)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"https://c2c.test{path}" in message.body
    assert f'href="https://c2c.test{path}"' in message.alternatives[0][0]
    assert "https://c2c.test/notifications/preferences/" in message.body


def test_opening_the_link_asks_first_and_changes_nothing(django_capture_on_commit_callbacks, mail_client):
    student = UserFactory()
    message = emailed(django_capture_on_commit_callbacks, recipient=student, kind=Kind.PAYMENT, title="Paid")

    response = mail_client.get(header_path(message))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "Stop these emails?" in page
    assert "Payments" in page
    assert '<button class="btn btn-primary" type="submit">Unsubscribe</button>' in page
    assert not NotificationPreference.objects.exists()


def test_one_click_post_without_login_turns_that_kind_off(django_capture_on_commit_callbacks, mail_client):
    student = UserFactory()
    message = emailed(django_capture_on_commit_callbacks, recipient=student, kind=Kind.PAYMENT, title="Paid")

    response = mail_client.post(header_path(message), {"List-Unsubscribe": "One-Click"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "You won't get these emails any more" in page
    assert f'href="{reverse("notifications:preferences")}"' in page
    preference = NotificationPreference.objects.get(user=student)
    assert (preference.kind, preference.channel, preference.frequency, preference.changed_via) == (
        Kind.PAYMENT,
        Channel.EMAIL,
        Frequency.OFF,
        PreferenceSource.UNSUBSCRIBE,
    )

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=student, kind=Kind.PAYMENT, title="Paid again")
        notify(recipient=student, kind=Kind.ENGAGEMENT, title="Other emails still arrive")
    assert [m.subject for m in mail.outbox] == ["Other emails still arrive"]


def test_posting_twice_is_harmless(django_capture_on_commit_callbacks, mail_client):
    student = UserFactory()
    path = header_path(emailed(django_capture_on_commit_callbacks, recipient=student, kind=Kind.PAYMENT, title="P"))
    mail_client.post(path)
    response = mail_client.post(path)
    assert "You won't get these emails any more" in response.content.decode()
    assert NotificationPreference.objects.count() == 1


def test_the_digest_link_stops_that_digest_and_drops_what_was_waiting(django_capture_on_commit_callbacks, mail_client):
    owner = UserFactory(role="business")
    notify(recipient=owner, kind=Kind.APPLICATION_REMINDER, title="2 applicants waiting")
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(frequency=Frequency.DAILY)
    [digest_email] = mail.outbox
    path = header_path(digest_email)
    assert f"https://c2c.test{path}" in digest_email.body

    confirm = mail_client.get(path).content.decode()
    assert "Applicants waiting for an answer" in confirm
    assert "New projects that match you" not in confirm  # daily by default, but for students only
    assert "Payments" not in confirm  # emailed right away, not in the digest

    waiting = notify(recipient=owner, kind=Kind.APPLICATION_REMINDER, title="Still waiting")
    mail_client.post(path)

    assert email_frequency(owner, Kind.APPLICATION_REMINDER) == Frequency.OFF
    assert email_frequency(owner, Kind.NEW_APPLICATION) is None
    assert email_frequency(owner, Kind.PAYMENT) is None
    waiting.refresh_from_db()
    assert waiting.email_status == EmailStatus.SKIPPED
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(frequency=Frequency.DAILY) == 0
    assert len(mail.outbox) == 1


def test_account_emails_cannot_be_stopped_so_their_link_stops_all_the_others(
    django_capture_on_commit_callbacks, mail_client
):
    student = UserFactory()
    message = emailed(django_capture_on_commit_callbacks, recipient=student, kind=Kind.ACCOUNT, title="Welcome")
    path = header_path(message)
    assert "Emails about your account are always sent" in message.body

    confirm = mail_client.get(path).content.decode()
    assert "security (like password resets) still arrive" in confirm
    mail_client.post(path)

    assert email_frequency(student, Kind.ACCOUNT) is None
    assert email_frequency(student, Kind.APPLICATION_DECISION) == Frequency.OFF
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=student, kind=Kind.APPLICATION_DECISION, title="Decision")
        notify(recipient=student, kind=Kind.ACCOUNT, title="Your password was changed")
    assert [m.subject for m in mail.outbox] == ["Your password was changed"]


def test_a_token_for_a_kind_that_cannot_be_turned_off_changes_nothing(mail_client):
    student = UserFactory()
    path = reverse("notifications:unsubscribe", args=[make_unsubscribe_token(user_id=student.pk, kind=Kind.ACCOUNT)])
    assert "Nothing to unsubscribe from" in mail_client.get(path).content.decode()
    mail_client.post(path)
    assert not NotificationPreference.objects.exists()


def bad_tokens(user):
    good = make_unsubscribe_token(user_id=user.pk, kind=Kind.PAYMENT)
    payload, signature = good.rsplit(":", 1)
    someone_elses_payload = make_unsubscribe_token(user_id=user.pk + 1, kind=Kind.PAYMENT).rsplit(":", 1)[0]
    return {
        "tampered signature": f"{payload}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        "someone else's id with my signature": f"{someone_elses_payload}:{signature}",
        "garbage": "not-a-token",
        "signed with another salt": signing.dumps({"u": user.pk, "k": Kind.PAYMENT}),
        "unknown kind": signing.dumps({"u": user.pk, "k": "spam"}, salt="notifications.unsubscribe"),
        "deleted user": make_unsubscribe_token(user_id=987654, kind=Kind.PAYMENT),
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_token_is_a_clear_400_and_changes_nothing(mail_client, method):
    student = UserFactory()
    for name, token in bad_tokens(student).items():
        response = getattr(mail_client, method)(reverse("notifications:unsubscribe", args=[token]))
        assert response.status_code == 400, name
        assert "This unsubscribe link doesn't work" in response.content.decode(), name
    assert not NotificationPreference.objects.exists()


def test_only_get_and_post_are_allowed(mail_client):
    token = make_unsubscribe_token(user_id=UserFactory().pk, kind=Kind.PAYMENT)
    assert mail_client.put(reverse("notifications:unsubscribe", args=[token])).status_code == 405

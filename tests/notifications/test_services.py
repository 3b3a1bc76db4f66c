from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications.enums import EmailStatus, Kind
from notifications.models import Notification
from notifications.services import deliver_email, notify
from notifications.tasks import deliver_notification, redeliver_pending_notifications
from tests.factories import UserFactory
from tests.notifications.broker import broker_down

pytestmark = pytest.mark.django_db


def test_notification_is_written_with_the_event_and_emailed_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(full_name="Ana Lopez")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = notify(recipient=user, kind=Kind.ACCOUNT, title="Your offer arrived", url="/notifications/")
        assert mail.outbox == []

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.email_sent_at is not None
    [message] = mail.outbox
    assert message.subject == "Your offer arrived"
    assert message.to == [user.email]
    assert "https://c2c.test/notifications/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://c2c.test/notifications/"' in html


def test_a_rolled_back_event_leaves_no_notification_and_sends_nothing(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipient=user, kind=Kind.ACCOUNT, title="Never happened")
        raise RuntimeError("the event failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_delivering_twice_sends_one_email():
    user = UserFactory()
    notification = Notification.objects.create(recipient=user, kind=Kind.ACCOUNT, title="Hello")

    assert deliver_notification.delay(notification.pk).get() is True
    assert deliver_notification.delay(notification.pk).get() is False
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_keeps_the_notification_pending_and_records_why(settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingEmailBackend"
    notification = Notification.objects.create(recipient=UserFactory(), kind=Kind.ACCOUNT, title="Hello")

    with pytest.raises(ConnectionRefusedError):
        deliver_email(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING
    assert notification.delivery_attempts == 1
    assert "ConnectionRefusedError" in notification.last_error


def test_inactive_users_get_an_inbox_row_but_no_email(django_capture_on_commit_callbacks):
    user = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=user, kind=Kind.ACCOUNT, title="Hello")
    assert notification.email_status == EmailStatus.SKIPPED
    assert mail.outbox == []


def test_broker_down_the_event_succeeds_and_the_sweep_sends_it_later_exactly_once(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with broker_down():
        started = timezone.now()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            notification = notify(recipient=user, kind=Kind.ACCOUNT, title="Your application was received")
        assert (timezone.now() - started) < timedelta(seconds=10), "a dead broker must not hang the request"

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING
    assert mail.outbox == []

    # Too soon: the original task may still be in flight.
    redeliver_pending_notifications.delay()
    assert mail.outbox == []

    # Five minutes later, the sweep finds it still pending.
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    redeliver_pending_notifications.delay()
    redeliver_pending_notifications.delay()

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert [m.subject for m in mail.outbox] == ["Your application was received"]

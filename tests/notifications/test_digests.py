import re
import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from c2c.celery import app as celery_app
from notifications.enums import Channel, EmailStatus, Frequency, Kind
from notifications.models import Digest, Notification
from notifications.services import MAX_DELIVERY_ATTEMPTS, claim_digest, deliver_digest, notify
from notifications.tasks import redeliver_pending_digests, redeliver_pending_notifications, send_digests
from tests.factories import BusinessOwnerFactory, UserFactory
from tests.notifications.broker import broker_down
from tests.notifications.factories import PreferenceFactory

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.notifications.failing_backend.FailingEmailBackend"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def matches_for(student, *titles):
    return [
        notify(recipient=student, kind=Kind.NEW_MATCH, title=title, body="Fits your hours.", url=f"/projects/{i}/")
        for i, title in enumerate(titles, start=1)
    ]


def run_daily(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_digests.delay(Frequency.DAILY)


def test_the_daily_digest_sends_one_email_listing_every_waiting_item(django_capture_on_commit_callbacks):
    student = UserFactory(full_name="Ana Lopez")
    matches_for(student, "Bakery social media plan", "Donor database clean-up", "Rosa's café website")

    run_daily(django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.to == [student.email]
    assert message.subject == "Your daily digest: 3 updates"
    assert "Hello Ana," in message.body
    assert "Rosa's café website" in message.body  # plain text is not HTML-escaped
    for i in (1, 2, 3):
        assert f"https://c2c.test/projects/{i}/" in message.body
    assert "https://c2c.test/notifications/" in message.body
    assert message.body.index("Bakery social media plan") < message.body.index("Rosa's café website")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://c2c.test/projects/2/"' in html
    assert "Rosa&#x27;s café website" in html
    header = message.extra_headers["List-Unsubscribe"]
    unsubscribe = re.fullmatch(r"<(https://c2c\.test/notifications/unsubscribe/[^/]+/)>", header).group(1)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert f'href="{unsubscribe}"' in html

    [digest] = Digest.objects.all()
    assert (digest.recipient, digest.frequency, digest.item_count, digest.status) == (
        student,
        Frequency.DAILY,
        3,
        EmailStatus.SENT,
    )
    assert set(Notification.objects.values_list("email_status", "digest")) == {(EmailStatus.SENT, digest.pk)}


def test_one_item_says_one_update():
    student = UserFactory()
    matches_for(student, "Only one")
    digest = claim_digest(recipient_id=student.pk, frequency=Frequency.DAILY)
    deliver_digest(digest_id=digest.pk)
    assert [m.subject for m in mail.outbox] == ["Your daily digest: 1 update"]


def test_running_the_digest_twice_sends_one_email(django_capture_on_commit_callbacks):
    student = UserFactory()
    matches_for(student, "A", "B")

    run_daily(django_capture_on_commit_callbacks)
    run_daily(django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert Digest.objects.count() == 1


def test_nobody_gets_an_empty_digest(django_capture_on_commit_callbacks):
    UserFactory()
    already_sent = UserFactory()
    notify(recipient=already_sent, kind=Kind.APPLICATION_DECISION, title="Right away, not in a digest")
    mail.outbox.clear()

    run_daily(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(Frequency.WEEKLY) == 0

    assert mail.outbox == []
    assert not Digest.objects.exists()


def test_each_user_gets_their_own_digest_with_only_their_items(django_capture_on_commit_callbacks):
    ana, ben = UserFactory(), UserFactory()
    matches_for(ana, "For Ana 1", "For Ana 2")
    matches_for(ben, "For Ben")

    run_daily(django_capture_on_commit_callbacks)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient.keys() == {ana.email, ben.email}
    assert by_recipient[ana.email].subject == "Your daily digest: 2 updates"
    assert "For Ben" not in by_recipient[ana.email].body
    assert by_recipient[ben.email].subject == "Your daily digest: 1 update"


def test_weekly_items_wait_for_the_weekly_digest(django_capture_on_commit_callbacks):
    owner = BusinessOwnerFactory()
    PreferenceFactory(user=owner, kind=Kind.NEW_APPLICATION, channel=Channel.EMAIL, frequency=Frequency.WEEKLY)
    notify(recipient=owner, kind=Kind.NEW_APPLICATION, title="New applicant for the bakery project")
    notify(recipient=owner, kind=Kind.APPLICATION_REMINDER, title="2 applicants waiting")  # daily by default

    run_daily(django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == ["Your daily digest: 1 update"]
    assert "2 applicants waiting" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        send_digests.delay(Frequency.WEEKLY)
    assert mail.outbox[1].subject == "Your weekly digest: 1 update"
    assert "New applicant for the bakery project" in mail.outbox[1].body


def test_an_item_arriving_after_a_digest_goes_in_the_next_one_only(django_capture_on_commit_callbacks):
    student = UserFactory()
    matches_for(student, "Early")
    run_daily(django_capture_on_commit_callbacks)
    matches_for(student, "Late")
    run_daily(django_capture_on_commit_callbacks)

    assert [m.subject for m in mail.outbox] == ["Your daily digest: 1 update", "Your daily digest: 1 update"]
    assert "Late" not in mail.outbox[0].body
    assert "Early" not in mail.outbox[1].body
    assert Notification.objects.filter(digest__isnull=True).count() == 0


def test_a_deactivated_user_gets_no_digest(django_capture_on_commit_callbacks):
    student = UserFactory()
    matches_for(student, "A")
    student.is_active = False
    student.save(update_fields=["is_active"])

    run_daily(django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert not Digest.objects.exists()
    assert Notification.objects.get().email_status == EmailStatus.SKIPPED


def test_the_immediate_redelivery_sweep_leaves_digest_items_alone():
    student = UserFactory()
    matches_for(student, "A")
    Notification.objects.update(created_at=timezone.now() - timedelta(hours=1))

    redeliver_pending_notifications.delay()

    assert mail.outbox == []
    assert Notification.objects.get().email_status == EmailStatus.DIGEST


def test_a_failed_or_lost_digest_is_resent_by_the_sweep_exactly_once(settings, django_capture_on_commit_callbacks):
    student = UserFactory()
    matches_for(student, "A", "B")
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the task
        assert send_digests(Frequency.DAILY) == 1
    [digest] = Digest.objects.all()

    with pytest.raises(ConnectionRefusedError):
        deliver_digest(digest_id=digest.pk)
    digest.refresh_from_db()
    assert digest.status == EmailStatus.PENDING
    assert digest.delivery_attempts == 1
    assert "ConnectionRefusedError" in digest.last_error

    settings.EMAIL_BACKEND = LOCMEM_BACKEND
    redeliver_pending_digests.delay()
    assert mail.outbox == [], "too soon: the original task may still be in flight"

    Digest.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    redeliver_pending_digests.delay()
    redeliver_pending_digests.delay()

    assert [m.subject for m in mail.outbox] == ["Your daily digest: 2 updates"]
    digest.refresh_from_db()
    assert digest.status == EmailStatus.SENT
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_a_digest_that_keeps_failing_is_given_up_with_its_items(settings):
    student = UserFactory()
    matches_for(student, "A")
    digest = claim_digest(recipient_id=student.pk, frequency=Frequency.DAILY)
    Digest.objects.filter(pk=digest.pk).update(delivery_attempts=MAX_DELIVERY_ATTEMPTS - 1)
    settings.EMAIL_BACKEND = FAILING_BACKEND

    with pytest.raises(ConnectionRefusedError):
        deliver_digest(digest_id=digest.pk)

    digest.refresh_from_db()
    assert digest.status == EmailStatus.FAILED
    assert Notification.objects.get().email_status == EmailStatus.FAILED


def test_broker_down_at_digest_time_the_run_still_claims_and_the_sweep_sends(django_capture_on_commit_callbacks):
    student = UserFactory()
    matches_for(student, "A")
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        assert send_digests(Frequency.DAILY) == 1

    assert mail.outbox == []
    Digest.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    redeliver_pending_digests.delay()
    assert [m.subject for m in mail.outbox] == ["Your daily digest: 1 update"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_digest_at_once_send_each_item_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need Postgres")
    student = UserFactory()
    matches_for(student, "A", "B", "C")
    claimed, finish = threading.Event(), threading.Event()
    results = {}

    def first_worker():
        try:
            with transaction.atomic():  # hold the claim open while the second worker runs
                results["first"] = claim_digest(recipient_id=student.pk, frequency=Frequency.DAILY)
                claimed.set()
                # The second worker must skip the locked rows, not wait for them.
                results["second_waited"] = not finish.wait(timeout=10)
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)
    worker.start()
    assert claimed.wait(timeout=10)
    results["second"] = send_digests(Frequency.DAILY)
    finish.set()
    worker.join(timeout=10)

    assert results["first"].item_count == 3
    assert results["second"] == 0
    assert not results["second_waited"]
    assert send_digests(Frequency.DAILY) == 0  # and a later run finds nothing left
    assert Digest.objects.count() == 1
    assert [m.subject for m in mail.outbox] == ["Your daily digest: 3 updates"]


def test_beat_runs_the_daily_and_weekly_digests_and_their_sweep():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    entries = {entry["task"]: entry for entry in schedule.values()}
    assert {"notifications.tasks.send_digests", "notifications.tasks.redeliver_pending_digests"} <= entries.keys()
    digests = [entry for entry in schedule.values() if entry["task"] == "notifications.tasks.send_digests"]
    assert sorted(entry["args"] for entry in digests) == [("daily",), ("weekly",)]
    for name in entries:
        if name.startswith("notifications."):
            assert name in celery_app.tasks

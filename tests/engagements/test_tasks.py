from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from engagements import tasks
from engagements.services import flag_overdue_payments
from notifications.enums import Kind
from notifications.models import Notification
from tests.engagements.factories import EngagementFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_unconfirmed_payment_is_flagged_to_staff_once_after_fourteen_days(
    django_capture_on_commit_callbacks, mailoutbox
):
    staff = StaffFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        engagement = EngagementFactory(completed=True)
        engagement.payment_sent_at = timezone.now()
        engagement.save()

        traveller.shift(timedelta(days=14) - timedelta(minutes=1))
        assert flag_overdue_payments() == 0

        traveller.shift(timedelta(minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert flag_overdue_payments() == 1
        assert flag_overdue_payments() == 0

        traveller.shift(timedelta(days=1))
        assert tasks.flag_overdue_payments.delay().get() == 0

    engagement.refresh_from_db()
    assert engagement.payment_overdue_flagged_at is not None
    [notice] = Notification.objects.filter(recipient=staff)
    assert notice.kind == Kind.PAYMENT_OVERDUE
    assert notice.url == f"/admin/engagements/engagement/{engagement.pk}/change/"
    assert "hasn't confirmed receiving it" in notice.body
    assert "hasn't confirmed sending it" not in notice.body
    assert [message.to for message in mailoutbox] == [[staff.email]]


def test_paid_or_active_engagements_are_never_flagged():
    StaffFactory()
    long_ago = timezone.now() - timedelta(days=30)
    EngagementFactory(completed=True, completed_at=long_ago, payment_sent_at=long_ago, payment_received_at=long_ago)
    EngagementFactory(started_at=long_ago)

    assert tasks.flag_overdue_payments.delay().get() == 0
    assert not Notification.objects.exists()


def test_the_beat_task_flags_overdue_engagements():
    staff = StaffFactory()
    engagement = EngagementFactory(completed=True, completed_at=timezone.now() - timedelta(days=15))

    assert tasks.flag_overdue_payments.name == "engagements.tasks.flag_overdue_payments"
    assert tasks.flag_overdue_payments.delay().get() == 1

    engagement.refresh_from_db()
    assert engagement.payment_overdue_flagged_at is not None
    assert Notification.objects.filter(recipient=staff, kind=Kind.PAYMENT_OVERDUE).count() == 1

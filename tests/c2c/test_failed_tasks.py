"""A background task that fails for good is recorded for staff, counted on the admin index, and mailed to ADMINS."""

import pytest
from django.core import mail
from django.urls import reverse

from c2c.celery import app as celery_app
from c2c.models import FailedTask
from notifications.enums import EmailStatus, Kind
from notifications.models import Notification
from tests.factories import StaffFactory, UserFactory, sign_in
from tests.notifications.broker import broker_down

pytestmark = pytest.mark.django_db


@celery_app.task(name="tests.c2c.send_invoice", max_retries=0)
def send_invoice(invoice_id, *, reminder=False):
    raise ConnectionRefusedError("the invoicing service refused the connection")


def fail_once():
    # throw=False: run as the worker would, which records the failure instead of raising it to the caller.
    result = send_invoice.apply(args=(41,), kwargs={"reminder": True}, task_id="task-41", throw=False)
    assert result.failed()


def test_a_task_that_fails_for_good_is_recorded_with_its_arguments_and_error():
    fail_once()
    failure = FailedTask.objects.get()
    assert failure.task_id == "task-41"
    assert failure.task_name == "tests.c2c.send_invoice"
    assert failure.args == [41]
    assert failure.kwargs == {"reminder": True}
    assert failure.error == "ConnectionRefusedError: the invoicing service refused the connection"
    assert "raise ConnectionRefusedError" in failure.traceback
    assert failure.resolved_at is None


def test_admins_get_an_email_when_a_task_fails_for_good(settings):
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@example.org")]
    fail_once()
    [email] = mail.outbox
    assert email.to == ["ops@example.org"]
    assert "tests.c2c.send_invoice" in email.subject
    assert "the invoicing service refused the connection" in email.body


def test_staff_see_what_failed_on_the_admin_index_and_in_the_list(client):
    fail_once()
    Notification.objects.create(
        recipient=UserFactory(), kind=Kind.ACCOUNT, title="Welcome", email_status=EmailStatus.FAILED
    )
    sign_in(client, StaffFactory())

    index = client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:c2c_failedtask_changelist"), {"state": "open"}).content.decode()

    assert "Failed background tasks" in index
    assert (
        '<a href="/admin/c2c/failedtask/?state=open">Failed background tasks</a></th>\n      <td><strong>1</strong>'
        in index
    )
    assert '<a href="/admin/notifications/notification/?email_status__exact=failed">' in index
    assert "Emails that could not be delivered</a></th>\n      <td><strong>1</strong>" in index
    assert "tests.c2c.send_invoice" in listing
    assert "ConnectionRefusedError: the invoicing service refused the connection" in listing


def test_marking_a_failure_dealt_with_takes_it_off_the_count(client):
    fail_once()
    sign_in(client, StaffFactory())
    changelist = reverse("admin:c2c_failedtask_changelist")
    ids = [str(pk) for pk in FailedTask.objects.values_list("pk", flat=True)]

    response = client.post(changelist, {"action": "mark_resolved", "_selected_action": ids}, follow=True)

    assert "Marked 1 task(s) as dealt with." in response.content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    assert "Failed background tasks</a></th>\n      <td><strong>0</strong>" in index


def test_running_a_task_again_says_so_when_the_broker_is_unreachable(client):
    fail_once()
    sign_in(client, StaffFactory())
    changelist = reverse("admin:c2c_failedtask_changelist")
    ids = [str(pk) for pk in FailedTask.objects.values_list("pk", flat=True)]

    with broker_down():
        response = client.post(changelist, {"action": "run_again", "_selected_action": ids}, follow=True)

    assert "The task queue (Redis) is unreachable, so 1 task(s) were not sent." in response.content.decode()
    assert FailedTask.objects.get().resolved_at is None

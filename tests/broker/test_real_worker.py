"""A real Celery worker process, on Redis, round-tripping a task that writes to Postgres."""

from pathlib import Path

import pytest

from c2c import request_ids
from notifications.enums import EmailStatus, Kind
from notifications.models import Notification
from notifications.services import enqueue_delivery
from tests.factories import UserFactory
from tests.processes import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_delivers_a_notification_and_marks_it_sent_in_postgres(celery_worker_process):
    user = UserFactory(email="worker-check@example.org")
    notification = Notification.objects.create(recipient=user, kind=Kind.ACCOUNT, title="Delivered by a real worker")

    token = request_ids.current.set("req-from-the-web-0042")  # as during the request that enqueued it
    try:
        assert enqueue_delivery(notification.pk) is True
    finally:
        request_ids.current.reset(token)

    def delivered():
        notification.refresh_from_db()
        return notification.email_status == EmailStatus.SENT

    assert wait_for(delivered), Path(celery_worker_process["log"]).read_text()[-3000:]
    [mail_file] = list(Path(celery_worker_process["mail_dir"]).iterdir())
    written = mail_file.read_text()
    assert "To: worker-check@example.org" in written
    assert "Subject: Delivered by a real worker" in written
    # The request's id follows it into the worker's log lines for the task.
    log = Path(celery_worker_process["log"]).read_text()
    assert "[req-from-the-web-0042] Task notifications.tasks.deliver_notification[" in log

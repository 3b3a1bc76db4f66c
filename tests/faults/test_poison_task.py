"""Fault 3: a task that kills its worker process every time is tried a bounded number of times,
then recorded as failed where staff see it, with the error, and mailed to ADMINS."""

import time

import pytest
from django.urls import reverse

from c2c.celery import app as celery_app
from c2c.models import FailedTask
from tests.factories import StaffFactory, sign_in
from tests.faults import servers
from tests.faults.servers import wait_until
from tests.processes import mails_to, publishing_to, running

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]


def test_a_task_that_kills_its_worker_every_time_ends_up_failed_in_admin(redis_server, app_env, faults_dir, client):
    attempts_file = faults_dir / "attempts.txt"
    env = {**app_env, "ADMINS": "Ops <ops@example.org>"}
    worker = servers.Celery("worker", env, faults_dir, "--include", "tests.faults.poison")
    with running(worker):
        with publishing_to(redis_server.url()):
            sent = celery_app.send_task("tests.faults.poison.kill_own_worker", args=[str(attempts_file)])
        failure = wait_until(
            lambda: FailedTask.objects.filter(task_id=sent.id).first(), timeout=90, what="the failure record"
        )
        time.sleep(4)  # long enough for more attempts, if anything were still retrying it
        assert attempts_file.read_text() == "attempt 1\nattempt 2\nattempt 3\n"
        assert worker.output().count("exited with 'signal 9 (SIGKILL)'") == 3

    assert failure.task_name == "tests.faults.poison.kill_own_worker"
    assert failure.args == [str(attempts_file)]
    assert failure.attempts == 3
    assert failure.error.startswith("WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL)")
    assert mails_to(faults_dir / "mail", "ops@example.org") == 1

    sign_in(client, StaffFactory())
    index = client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:c2c_failedtask_changelist")).content.decode()
    detail = client.get(reverse("admin:c2c_failedtask_change", args=[failure.pk])).content.decode()
    assert "Failed background tasks</a></th>\n      <td><strong>1</strong>" in index
    assert "tests.faults.poison.kill_own_worker" in listing
    assert "WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL)" in listing
    assert str(attempts_file) in detail

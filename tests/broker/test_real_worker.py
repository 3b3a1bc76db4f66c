"""A real Celery worker process, on Redis, round-tripping a task that writes to Postgres."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from c2c.celery import app as celery_app
from notifications.enums import EmailStatus, Kind
from notifications.models import Notification
from notifications.services import enqueue_delivery
from tests.conftest import skip_or_fail
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def worker_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(redis_url, tmp_path):
    if connection.vendor != "postgresql":
        skip_or_fail("the real-worker test needs Postgres (set DATABASE_URL): a worker can't share in-memory SQLite")
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": "",
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "SITE_URL": "https://c2c.test",
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "c2c",
                "worker",
                "--loglevel",
                "INFO",
                "--queues",
                "default,matching,notifications",
                "--concurrency",
                "1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    original_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis_url
    celery_app.conf.task_always_eager = False
    celery_app.close()
    try:
        yield {"mail_dir": mail_dir, "log": log_path}
    finally:
        celery_app.conf.broker_url = original_broker
        celery_app.conf.task_always_eager = True
        celery_app.close()
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for(predicate, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_delivers_a_notification_and_marks_it_sent_in_postgres(celery_worker_process):
    user = UserFactory(email="worker-check@example.org")
    notification = Notification.objects.create(recipient=user, kind=Kind.ACCOUNT, title="Delivered by a real worker")

    assert enqueue_delivery(notification.pk) is True

    def delivered():
        notification.refresh_from_db()
        return notification.email_status == EmailStatus.SENT

    assert wait_for(delivered), Path(celery_worker_process["log"]).read_text()[-3000:]
    [mail_file] = list(Path(celery_worker_process["mail_dir"]).iterdir())
    written = mail_file.read_text()
    assert "To: worker-check@example.org" in written
    assert "Subject: Delivered by a real worker" in written

"""A real Celery worker process on Redis, for tests that must see the production path."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from c2c.celery import app as celery_app
from tests.conftest import skip_or_fail


def worker_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def running_worker(broker_url: str, workdir: Path, **env_overrides):
    """A `celery worker` process consuming `broker_url`, working on the test database.

    Yields the worker's mail directory (emails it sends are written there as files) and its log path.
    """
    if connection.vendor != "postgresql":
        skip_or_fail("the real-worker test needs Postgres (set DATABASE_URL): a worker can't share in-memory SQLite")
    mail_dir = workdir / "mail"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": "",
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "SITE_URL": "https://c2c.test",
        **env_overrides,
    }
    log_path = workdir / "worker.log"
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
    try:
        yield {"mail_dir": mail_dir, "log": log_path}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@contextmanager
def publishing_to(broker_url: str):
    """Tasks enqueued by this process go to `broker_url` instead of running inline."""
    original_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = broker_url
    celery_app.conf.task_always_eager = False
    celery_app.close()
    # close() keeps the producer pool, which stays bound to the broker an earlier test used.
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url = original_broker
        celery_app.conf.task_always_eager = True
        celery_app.close()
        celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_process(redis_url, tmp_path):
    with running_worker(redis_url, tmp_path) as worker, publishing_to(redis_url):
        yield worker


def wait_for(predicate, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False

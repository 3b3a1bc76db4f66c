"""Helpers for tests that run or reach real services: Redis, Celery workers, manage.py in a fresh process."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

from c2c.celery import app as celery_app

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BASE_DIR = Path(settings.BASE_DIR)


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def skip_or_fail(reason: str):
    """Locally a missing service skips the test; in CI it is a failure, so nothing is silently skipped."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def redis_url_for_group(group: str = "redis") -> str:
    """The test Redis database of an xdist group: the browser tests' worker runs beside the "redis" group's
    tests (in another process), so it gets the database numbered one below TEST_REDIS_URL's."""
    url = urlsplit(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    number = int(url.path.strip("/") or 0) - (1 if group == "browser" else 0)
    return url._replace(path=f"/{number}").geturl()


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


def wait_for(predicate, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@contextmanager
def running(process):
    """Start a server object, and stop it whatever happens."""
    try:
        yield process.start()
    finally:
        process.stop()


def mails_to(mail_dir: Path, address: str) -> int:
    """How many emails the file backend wrote to `address`."""
    return sum(path.read_text().count(f"\nTo: {address}\n") for path in mail_dir.iterdir())


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Qm2vR9pL4tW8zK1nB6cY3hJ5dF0gS-aE7uI2oP9qZ4rT6wV8yX1mN3bC5vL7kJ",
    "ALLOWED_HOSTS": "c2c.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://c2c.example.org",
    "SITE_URL": "https://c2c.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/c2c",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
}


def manage(*args, env):
    inherited = set(PRODUCTION_ENV) | {"CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def wait_until_worker_idle(broker_url: str, timeout: float = 20.0) -> bool:
    """Wait for the worker on `broker_url` to finish every task queued, reserved or running.

    A test that empties its tables while a task still writes to them deadlocks with it in Postgres.
    """
    queues = redis.Redis.from_url(broker_url)
    inspector = celery_app.control.inspect(timeout=1, limit=1)

    def idle() -> bool:
        if any(queues.llen(queue) for queue in ("default", "matching", "notifications")):
            return False
        replies = [inspector.active(), inspector.reserved(), inspector.scheduled()]
        return all(reply is not None and not any(reply.values()) for reply in replies)

    return wait_for(idle, timeout=timeout)

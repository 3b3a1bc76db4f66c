"""Fixtures for the fault tests: throwaway Redis, Celery worker and beat, gunicorn, on production settings.

The worker and web processes use this test's own Postgres database (committed data: the tests are
transactional) unless a test brings a throwaway Postgres of its own.
"""

import shutil
from pathlib import Path

import pytest
from django.db import connection

from tests.faults import servers
from tests.processes import running, skip_or_fail, worker_database_url


@pytest.fixture
def faults_dir(tmp_path) -> Path:
    if not shutil.which("redis-server"):
        skip_or_fail("redis-server is not installed (apt-get install redis-server)")
    if connection.vendor != "postgresql":
        skip_or_fail("the fault tests need Postgres (set DATABASE_URL): worker and web share the test database")
    (tmp_path / "mail").mkdir()
    return tmp_path


@pytest.fixture
def redis_server(faults_dir):
    redis = servers.Redis(faults_dir)
    try:
        yield redis.start()
    finally:
        redis.stop()


@pytest.fixture
def app_env(faults_dir, redis_server) -> dict:
    return servers.app_environment(
        database_url=worker_database_url(), redis_url=redis_server.url(), mail_dir=faults_dir / "mail"
    )


@pytest.fixture(scope="session")
def collected_static():
    servers.collect_static(
        servers.app_environment(database_url="sqlite:///:memory:", redis_url="", mail_dir=Path("/nonexistent"))
    )


@pytest.fixture
def worker(app_env, faults_dir):
    with running(servers.Celery("worker", app_env, faults_dir)) as started:
        yield started


@pytest.fixture
def beat(app_env, faults_dir):
    with running(servers.Celery("beat", app_env, faults_dir)) as started:
        yield started


@pytest.fixture
def web(app_env, faults_dir, collected_static):
    with running(servers.Gunicorn(app_env, faults_dir)) as started:
        yield started

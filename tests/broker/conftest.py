"""A real Celery worker process on Redis, for tests that must see the production path."""

import pytest

from tests.processes import publishing_to, running_worker


@pytest.fixture
def celery_worker_process(redis_url, tmp_path):
    with running_worker(redis_url, tmp_path) as worker, publishing_to(redis_url):
        yield worker

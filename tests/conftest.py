import os
import socket
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from c2c.celery import app as celery_app
from matching.services import project_pool_cache

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Under pytest-xdist (`--dist loadgroup`), tests sharing a group run one after another in one process:
# those on the shared test Redis database (real workers included), the browser tests (one Chromium per
# module), and the fault tests (each starts its own servers and times responses).
XDIST_GROUPS = {"worker": "redis", "redis": "redis", "browser": "browser", "faults": "faults"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups off the items
def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker, group in XDIST_GROUPS.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.xdist_group(group))
                break


@pytest.fixture(autouse=True)
def _isolated_services(settings):
    """Tasks run inline and the cache is per-process, unless a test opts into the real services."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SITE_URL = "https://c2c.test"
    cache.clear()
    project_pool_cache.key = None
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def _reachable(url: str) -> bool:
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


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not _reachable(url):
        skip_or_fail(f"Redis is not reachable at {url}")
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()

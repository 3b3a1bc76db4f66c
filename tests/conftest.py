import os
import socket
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from c2c.celery import app as celery_app
from matching.services import project_pool_cache
from tests.factories import StaffFactory, client_for

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Hypothesis: few examples per test and no deadline (a shared 2-core machine is slow to answer), the same
# examples on every CI run ("ci"); HYPOTHESIS_PROFILE=thorough for a long local hunt.
hypothesis_settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, database=None)
hypothesis_settings.register_profile("dev", max_examples=25, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "dev"))


@pytest.fixture(autouse=True)
def _isolated_services(settings):
    """Tasks run inline and the cache is per-process, unless a test opts into the real services."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Pinned so query counts do not depend on whether REDIS_URL is set where the suite runs.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
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


@pytest.fixture
def staff_user(db):
    """A staff member with an authenticator app (tests.factories.TOTP_SECRET)."""
    return StaffFactory()


@pytest.fixture
def staff_client(staff_user):
    """A browser signed in as `staff_user` that has passed the second factor: admin and staff pages open."""
    return client_for(staff_user)

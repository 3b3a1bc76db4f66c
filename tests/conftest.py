import os
from itertools import chain

import pytest
from django.apps import apps
from django.core import serializers
from django.core.cache import cache
from django.db import connections
from django.db.models.signals import post_migrate
from hypothesis import settings as hypothesis_settings

from c2c.celery import app as celery_app
from matching.lists import project_pool_cache
from tests.factories import StaffFactory, client_for
from tests.processes import IN_CI, reachable, redis_url_for_group, skip_or_fail

# Hypothesis: few examples per test and no deadline (a shared 2-core machine is slow to answer), the same
# examples on every CI run ("ci"); HYPOTHESIS_PROFILE=thorough for a long local hunt.
hypothesis_settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, database=None)
hypothesis_settings.register_profile("dev", max_examples=25, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "dev"))
# Under pytest-xdist (`--dist loadgroup`), tests sharing a group run one after another in one process (the
# first marker that matches names the group, so browser tests with a real worker stay with the browser ones):
# those on the shared test Redis database (real workers included), the browser tests (one Chromium per
# module), and the fault tests (each starts its own servers and times responses).
XDIST_GROUPS = {"browser": "browser", "faults": "faults", "worker": "redis", "redis": "redis"}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups off the items
def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker, group in XDIST_GROUPS.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.xdist_group(group))
                break


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back what the migrations wrote (the skill catalogue, project templates) after each flush.

    A transactional test empties every table when it ends. Run serially, pytest-django runs those
    tests last; under xdist a group of them can run first in a process, and the tests after it would
    find no catalogue. Content types and permissions are left to Django, which recreates them.
    """
    with django_db_blocker.unblock():
        snapshot = _migration_rows()
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]

    def restore(sender, using, **kwargs):
        connections[using].creation.deserialize_db_from_string(snapshot)

    # A flush ends by sending post_migrate for every app; after the last one, the tables are ready.
    post_migrate.connect(restore, sender=last_app, dispatch_uid="tests-restore-migration-rows")
    yield
    post_migrate.disconnect(sender=last_app, dispatch_uid="tests-restore-migration-rows")


def _migration_rows() -> str:
    recreated_by_django = {"contenttypes.ContentType", "auth.Permission"}
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label not in recreated_by_django
    ]
    return serializers.serialize("json", chain.from_iterable(model._base_manager.order_by("pk") for model in models))


@pytest.fixture(autouse=True)
def _isolated_services(settings):
    """Tasks run inline and the cache is per-process, unless a test opts into the real services."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["tests.hashers.FastPBKDF2PasswordHasher"]
    settings.SITE_URL = "https://c2c.test"
    cache.clear()
    project_pool_cache.key = None
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def redis_url():
    url = redis_url_for_group()
    if not reachable(url):
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

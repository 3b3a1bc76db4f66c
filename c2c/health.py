"""Health of the database, the broker and the workers, cheap enough to poll every second."""

import contextlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from c2c.celery import app as celery_app

OK, DOWN, EAGER = "ok", "down", "eager"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return DOWN
    return OK


# A broker on the same network connects in milliseconds; one that takes longer counts as down.
BROKER_CONNECT_TIMEOUT = 0.2


def _broker_and_worker_status() -> dict:
    try:
        with celery_app.connection_for_write(
            connect_timeout=BROKER_CONNECT_TIMEOUT,
            transport_options={"socket_connect_timeout": BROKER_CONNECT_TIMEOUT, "socket_timeout": 1},
        ) as conn:
            # One attempt, no retry: kombu's default waits two seconds before a second try.
            conn.ensure_connection(max_retries=0)
    except Exception:
        return {"broker": DOWN, "worker": DOWN}
    try:
        replies = celery_app.control.ping(timeout=0.5)
    except Exception:
        replies = []
    return {"broker": OK, "worker": OK if replies else DOWN}


def status() -> dict:
    report = {"database": database_status()}
    if celery_app.conf.task_always_eager:
        report.update(broker=EAGER, worker=EAGER)
        return report
    # Pinging workers takes up to half a second: share one answer between requests.
    cache_key = "health:celery"
    celery_state = None
    try:
        celery_state = cache.get(cache_key)
    except Exception:
        celery_state = None
    if celery_state is None:
        celery_state = _broker_and_worker_status()
        with contextlib.suppress(Exception):
            cache.set(cache_key, celery_state, settings.C2C_HEALTH_CACHE_SECONDS)
    report.update(celery_state)
    return report

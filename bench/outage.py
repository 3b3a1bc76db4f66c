"""What Redis costs and saves: session reads from Postgres vs through a Redis cache, and /healthz with Redis down.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/c2c REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/outage.py

Sessions: one session is read back `--reads` times through `db` (what the site uses: one primary-key
read from Postgres per request) and through `cached_db` on the fault-tolerant Redis cache (what it used
before). /healthz: requested `--polls` times with the cache and the broker on a port nothing listens on,
as when Redis is down. Ends with one JSON line holding every figure.
"""

import argparse
import json
import os
import socket
import statistics
import sys
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2c.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from c2c.celery import app as celery_app  # noqa: E402


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_reads(engine: str, reads: int) -> list[float]:
    store = import_module(engine).SessionStore
    session = store()
    session["_auth_user_id"] = "1"
    session.create()
    timings = []
    try:
        for _ in range(reads):
            started = time.perf_counter()
            assert store(session.session_key).load()["_auth_user_id"] == "1"
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        session.delete()
    return timings


def healthz_with_redis_down(polls: int) -> list[float]:
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    down_cache = {"default": {"BACKEND": "c2c.cache.FaultTolerantRedisCache", "LOCATION": dead}}
    original = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = dead, False
    celery_app.close()
    celery_app.amqp._producer_pool = None
    timings = []
    try:
        with override_settings(CACHES=down_cache):
            client = Client()
            for _ in range(polls):
                # Every poll pays for finding Redis down, as the first one after an outage starts does.
                caches["default"]._cache.breaker.down_until = 0.0
                started = time.perf_counter()
                response = client.get("/healthz")
                timings.append((time.perf_counter() - started) * 1000)
                assert response.json() == {"database": "ok", "broker": "down", "worker": "down"}, response.content
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = original
        celery_app.close()
        celery_app.amqp._producer_pool = None
    return timings


def summary(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3),
        "max_ms": round(ordered[-1], 3),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--polls", type=int, default=20)
    args = parser.parse_args()
    figures = {"bench": "outage", "database": connection.vendor, "cpus": os.cpu_count()}

    print(f"Session reads, {args.reads} each:")
    db = summary(session_reads("django.contrib.sessions.backends.db", args.reads))
    print(f"  {'db (Postgres)':<40} median {db['median_ms']:.3f} ms, p95 {db['p95_ms']:.3f} ms")
    figures["session_db"] = db
    if settings.REDIS_URL:
        redis_cache = {"default": {"BACKEND": "c2c.cache.FaultTolerantRedisCache", "LOCATION": settings.REDIS_URL}}
        with override_settings(CACHES=redis_cache):
            caches["default"].clear()
            cached = summary(session_reads("django.contrib.sessions.backends.cached_db", args.reads))
        label = "cached_db (Redis, then Postgres)"
        print(f"  {label:<40} median {cached['median_ms']:.3f} ms, p95 {cached['p95_ms']:.3f} ms")
        figures["session_cached_db"] = cached
    else:
        print("  (set REDIS_URL to compare with cached_db)")

    health = summary(healthz_with_redis_down(args.polls))
    print(f"/healthz with Redis down, {args.polls} polls: median {health['median_ms']:.1f} ms, ", end="")
    print(f"max {health['max_ms']:.1f} ms")
    figures["healthz_redis_down"] = health
    figures["targets_met"] = {"healthz_under_500ms_with_redis_down": health["max_ms"] < 500}
    print(json.dumps(figures, separators=(",", ":")))


if __name__ == "__main__":
    main()

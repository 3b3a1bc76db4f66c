import pytest
from django.db import DatabaseError

from c2c import health
from c2c.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_reports_eager_mode_without_a_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager", "worker": "eager"}


@pytest.mark.django_db
def test_healthz_reports_a_down_broker_and_worker_but_stays_200(client):
    original = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app.close()
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original
        celery_app.close()
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "down", "worker": "down"}


@pytest.mark.django_db
def test_healthz_caches_the_worker_ping_between_polls(client, monkeypatch):
    calls = []
    monkeypatch.setattr(
        health, "_broker_and_worker_status", lambda: calls.append(1) or {"broker": "ok", "worker": "ok"}
    )
    celery_app.conf.task_always_eager = False
    for _ in range(5):
        assert client.get("/healthz").json() == {"database": "ok", "broker": "ok", "worker": "ok"}
    assert len(calls) == 1


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"

"""Logs: one JSON object per line on request, a request id on every line and on the tasks a request enqueues."""

import json
import logging
import sys

import pytest
from django.db import OperationalError

from c2c import logs, request_ids
from c2c.celery import REQUEST_ID_HEADER, carry_request_id
from tests.processes import manage


def record(message="Applied to %s", *args, exc_info=None, **extra):
    entry = logging.makeLogRecord(
        {
            "name": "projects",
            "levelname": "INFO",
            "levelno": logging.INFO,
            "msg": message,
            "args": args,
            "exc_info": exc_info,
            **extra,
        }
    )
    logs.RequestIdFilter().filter(entry)
    return entry


def test_a_json_line_holds_the_message_the_request_id_and_the_extra_fields():
    token = request_ids.current.set("req-12345678")
    try:
        line = logs.JsonFormatter().format(record("Applied to %s", "project 7", status=201))
    finally:
        request_ids.current.reset(token)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Applied to project 7"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "projects"
    assert entry["request_id"] == "req-12345678"
    assert entry["status"] == 201
    assert entry["time"].endswith("+00:00")


def test_a_traceback_stays_inside_its_json_line():
    try:
        raise ValueError("bad\nnews")
    except ValueError:
        line = logs.JsonFormatter().format(record("Failed", exc_info=sys.exc_info()))
    assert "\n" not in line
    assert 'raise ValueError("bad\\nnews")' in json.loads(line)["exception"]


@pytest.mark.django_db
def test_every_response_carries_its_request_id_and_a_sane_incoming_one_is_kept(client):
    generated = client.get("/")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/", HTTP_X_REQUEST_ID="lb-5f2c9a1e")["X-Request-ID"] == "lb-5f2c9a1e"
    replaced = client.get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert replaced != "<script>alert(1)</script>" and len(replaced) == 32


def test_a_task_enqueued_during_a_request_carries_its_id():
    token = request_ids.current.set("req-abcdef12")
    try:
        headers = {}
        carry_request_id(headers=headers)
    finally:
        request_ids.current.reset(token)
    assert headers[REQUEST_ID_HEADER] == "req-abcdef12"

    already = {REQUEST_ID_HEADER: "from-the-first-run"}  # a retry keeps the id of the request that started it
    carry_request_id(headers=already)
    assert already[REQUEST_ID_HEADER] == "from-the-first-run"


def test_a_database_outage_is_not_mailed_once_per_request_but_other_errors_are():
    def failing(error):
        try:
            raise error
        except Exception:
            return record("Internal Server Error", exc_info=sys.exc_info())

    skip = logs.SkipDatabaseOutages()
    assert not skip.filter(failing(OperationalError("connection refused")))
    assert skip.filter(failing(ValueError("a bug")))
    assert skip.filter(record("no exception"))


def test_log_format_json_makes_every_line_a_json_object():
    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('c2c.check').warning('Something %s', 'happened')",
        env={"DEBUG": "true", "LOG_FORMAT": "json"},
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, result.stderr
    entries = [json.loads(line) for line in lines]
    assert {"logger": "c2c.check", "message": "Something happened", "level": "WARNING"}.items() <= entries[-1].items()


def test_an_unknown_log_format_is_refused():
    result = manage("check", env={"DEBUG": "true", "LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr

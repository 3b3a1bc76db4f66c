"""Logging helpers: request ids on every record, one JSON object per line, no mail storms during an outage,
no template context (secrets) in template notes."""

import json
import logging
from datetime import UTC, datetime

from c2c import outages, request_ids

# Attributes every LogRecord has; anything else on a record came from `extra=` and is worth printing.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "task_id", "task_name"}


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request id and, inside a Celery task, the task's id and name."""

    def filter(self, record):
        record.request_id = request_ids.current.get() or "-"
        from celery import current_task

        task = current_task._get_current_object() if current_task else None
        record.task_id = getattr(task.request, "id", None) if task else None
        record.task_name = task.name if task else None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if getattr(record, "task_id", None):
            entry["task_id"], entry["task_name"] = record.task_id, record.task_name
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


class SkipDatabaseOutages(logging.Filter):
    """While the database is down every request fails the same way: /healthz and the logs say so, not one email each.

    Drops the outage's exceptions and the 503 answers Django logs for them (the outage page, /healthz).
    """

    def filter(self, record):
        if getattr(record, "status_code", None) == 503:
            return False
        error = record.exc_info[1] if record.exc_info else None
        return error is None or not outages.is_database_outage(error)


class WithoutTemplateContext(logging.Filter):
    """Keep django.template's "Exception while resolving variable" notes, without the exception.

    The exception's text holds the whole template context: in emails and account pages that means
    confirmation and password-reset links, authenticator secrets and recovery codes.
    """

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True

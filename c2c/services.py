"""Writes for the project-wide records: background tasks that failed for good."""

import logging

from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from c2c.models import FailedTask

logger = logging.getLogger(__name__)


def record_failed_task(
    *, task_id, task_name, args, kwargs, error, traceback="", attempts=1, request_id=""
) -> FailedTask | None:
    """Keep (or refresh) the record of a failed task; None if the database can't take it (it is logged anyway)."""
    try:
        with transaction.atomic():
            failure, _ = FailedTask.objects.update_or_create(
                task_id=task_id,
                defaults={
                    "task_name": task_name,
                    "args": args,
                    "kwargs": kwargs,
                    "error": error[:5000],
                    "traceback": traceback[:20000],
                    "attempts": attempts,
                    "request_id": request_id[:64],
                    "failed_at": timezone.now(),
                    "resolved_at": None,
                },
            )
    except (DatabaseError, TypeError, ValueError):
        logger.exception("Could not record the failure of task %s [%s]", task_name, task_id)
        return None
    return failure


def resolve_failed_tasks(*, queryset: QuerySet) -> int:
    """Staff dealt with these: they leave the count on the admin index."""
    return queryset.filter(resolved_at=None).update(resolved_at=timezone.now())


def run_failed_tasks_again(*, queryset: QuerySet) -> tuple[int, int]:
    """Send each task again with the arguments it had; return (sent, left because the broker is unreachable).

    A sent one is marked resolved: if it fails again it comes back as a new record.
    """
    from c2c.celery import app

    sent = unreachable = 0
    for failure in queryset:
        try:
            app.send_task(failure.task_name, args=failure.args, kwargs=failure.kwargs, retry=False)
        except Exception:
            logger.warning("Broker unreachable; task %s not sent again", failure.task_id, exc_info=True)
            unreachable += 1
            continue
        failure.resolved_at = timezone.now()
        failure.save(update_fields=["resolved_at"])
        sent += 1
    return sent, unreachable

import logging
import os

from celery import Celery, Task, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2c.settings")

logger = logging.getLogger("c2c.tasks")


class ReliableTask(Task):
    # A task whose worker process died is sent again after this long (task_retry_on_worker_lost),
    # up to its max_retries; Celery's default of three minutes is long for a user waiting on a match.
    default_retry_delay = 10


app = Celery("c2c", task_cls=ReliableTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "c2c_request_id"
_request_id_tokens = {}


@signals.before_task_publish.connect
def carry_request_id(headers=None, **kwargs):
    """The request (or task) that enqueues a task hands it its id, so their log lines can be joined up."""
    from c2c import request_ids

    if headers is not None and not headers.get(REQUEST_ID_HEADER):
        headers[REQUEST_ID_HEADER] = request_ids.current.get() or request_ids.new()


@signals.task_prerun.connect
def adopt_request_id(task_id=None, task=None, **kwargs):
    from c2c import request_ids

    if task.request.is_eager:  # runs inside the request that called it, which already has an id
        return
    carried = getattr(task.request, REQUEST_ID_HEADER, None) or task_id
    _request_id_tokens[task_id] = request_ids.current.set(carried)


@signals.task_postrun.connect
def drop_request_id(task_id=None, **kwargs):
    from c2c import request_ids

    token = _request_id_tokens.pop(task_id, None)
    if token is not None:
        request_ids.current.reset(token)


@signals.task_failure.connect
def record_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **extra):
    """A task that failed for good (no retry left): recorded for staff in admin, and mailed to ADMINS."""
    from c2c import services

    request = sender.request if sender is not None else None
    failure = services.record_failed_task(
        task_id=task_id,
        task_name=getattr(sender, "name", "unknown"),
        args=list(args or []),
        kwargs=dict(kwargs or {}),
        error=f"{type(exception).__name__}: {exception}",
        traceback=str(getattr(einfo, "traceback", "") or ""),
        attempts=(getattr(request, "retries", 0) or 0) + 1,
        request_id=getattr(request, REQUEST_ID_HEADER, "") or "",
    )
    logger.error(
        "Task %s [%s] failed for good after %s attempt(s): %s: %s",
        getattr(sender, "name", "unknown"),
        task_id,
        (getattr(request, "retries", 0) or 0) + 1,
        type(exception).__name__,
        exception,
        exc_info=(type(exception), exception, getattr(einfo, "tb", None)),
        extra={"failed_task_recorded": failure is not None},
    )

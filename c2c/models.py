from django.db import models


class FailedTask(models.Model):
    """A background task that gave up: it raised after its last retry, or its worker died on it every time.

    Written by the worker (see c2c/celery.py) so staff can see in admin what failed, with what, and why,
    and run it again once the cause is fixed.
    """

    task_id = models.CharField(max_length=64, unique=True)
    task_name = models.CharField(max_length=200, db_index=True)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    error = models.TextField(help_text="The exception it ended with.")
    traceback = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=1, help_text="Runs, counting retries.")
    request_id = models.CharField(max_length=64, blank=True, help_text="The request that enqueued it, in the logs.")
    failed_at = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="When staff marked it dealt with.")

    class Meta:
        ordering = ["-failed_at"]
        indexes = [
            models.Index(fields=["failed_at"], name="failed_task_open_idx", condition=models.Q(resolved_at=None))
        ]

    def __str__(self):
        return f"{self.task_name} [{self.task_id}]"

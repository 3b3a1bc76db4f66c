from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from activity.enums import Verb


class ActivityLog(models.Model):
    """One row per thing that happened to a business, project, application, engagement or account.

    Written by the service that made the change, in its transaction; never edited afterwards.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=40, choices=Verb.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"], name="activity_target_idx")]
        verbose_name = "activity"
        verbose_name_plural = "activity log"

    def __str__(self):
        if self.verb == Verb.STATUS_CHANGED:
            return f"{self.from_state or '—'} → {self.to_state}"
        return self.get_verb_display()

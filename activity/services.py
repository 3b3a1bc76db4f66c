"""Writes for the activity log: one call per thing that happened, made inside the change's transaction."""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from activity.enums import Verb
from activity.models import ActivityLog


def record(
    *,
    actor: AbstractBaseUser | None,
    verb: Verb,
    target: models.Model,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> ActivityLog:
    """`actor` None means the system (expiry, the nightly jobs)."""
    return ActivityLog.objects.create(
        actor=actor,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        created_at=at or timezone.now(),
    )


def record_status_change(
    *,
    actor: AbstractBaseUser | None,
    target: models.Model,
    from_state: str,
    to_state: str,
    reason: str = "",
    at: datetime | None = None,
) -> ActivityLog:
    return record(
        actor=actor,
        verb=Verb.STATUS_CHANGED,
        target=target,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        at=at,
    )

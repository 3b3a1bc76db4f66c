"""Reads of the activity log. Callers scope access: these take an object the reader may already see."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from activity.enums import Verb
from activity.models import ActivityLog


def history_of(target: models.Model) -> QuerySet[ActivityLog]:
    """Everything recorded about `target`, oldest first."""
    return ActivityLog.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")


def histories_of(model: type[models.Model], ids) -> dict[int, list[ActivityLog]]:
    """Each object's history, oldest first, in one query: for lists and exports."""
    grouped: dict[int, list[ActivityLog]] = {target_id: [] for target_id in ids}
    entries = ActivityLog.objects.filter(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)
    for entry in entries:
        grouped[entry.target_id].append(entry)
    return grouped


@dataclass(frozen=True)
class StatusEntry:
    """A state move as people read it: the state's label instead of its stored value."""

    at: datetime
    from_state: str
    to_state: str
    to_label: str
    reason: str


def status_history(
    target: models.Model, states: type[models.TextChoices], *, newest_first: bool = False, limit: int | None = None
) -> list[StatusEntry]:
    entries = history_of(target).filter(verb=Verb.STATUS_CHANGED)
    if newest_first:
        entries = entries.order_by("-created_at", "-pk")
    entries = entries[:limit]
    return [
        StatusEntry(
            at=entry.created_at,
            from_state=entry.from_state,
            to_state=entry.to_state,
            to_label=states(entry.to_state).label,
            reason=entry.reason,
        )
        for entry in entries
    ]

"""When matches are refreshed: recorded with the edit, queued after commit, coalesced, and swept up again
if the broker never got them."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from matching import services
from matching.enums import RebuildSide
from matching.models import PendingRefresh

logger = logging.getLogger(__name__)


def schedule_student_refresh(profile_id: int) -> None:
    _schedule(RebuildSide.STUDENT, profile_id)


def schedule_project_refresh(project_id: int) -> None:
    _schedule(RebuildSide.PROJECT, project_id)


def _schedule(side: str, owner_id: int) -> None:
    """Record in the edit's transaction that the owner needs a refresh; queue it once that commits."""
    PendingRefresh.objects.bulk_create(
        [PendingRefresh(side=side, owner_id=owner_id, requested_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["side", "owner_id"],
        update_fields=["requested_at"],
    )
    # robust: a failure after commit is logged (the sweep sends it later), never turned into an error page.
    transaction.on_commit(lambda: enqueue_refresh(side, owner_id), robust=True)


def enqueue_refresh(side: str, owner_id: int) -> bool:
    """Queue one delayed refresh unless one is already waiting: edits arriving before it starts ride along.

    The task clears `enqueued_at` before it reads anything, so an edit made while it runs queues the next one.
    """
    waiting = PendingRefresh.objects.filter(side=side, owner_id=owner_id, enqueued_at=None)
    return _send_refresh(waiting, side, owner_id, countdown=settings.C2C_MATCH_COALESCE_SECONDS)


def _send_refresh(claimable, side: str, owner_id: int, *, countdown: float) -> bool:
    from matching import tasks

    if not claimable.update(enqueued_at=timezone.now()):
        return False
    task = tasks.refresh_student_matches if side == RebuildSide.STUDENT else tasks.refresh_project_matches
    try:
        task.apply_async((owner_id,), countdown=countdown, retry=False)
    except Exception:
        PendingRefresh.objects.filter(side=side, owner_id=owner_id).update(enqueued_at=None)
        logger.warning("Broker unavailable; the %s %s refresh waits for the sweep", side, owner_id, exc_info=True)
        return False
    return True


def run_pending_refresh(side: str, owner_id: int):
    """The refresh task's body: recompute if a refresh is still pending, then drop the request it covered.

    A second delivery of the same task (the broker's, or the sweep's) finds nothing pending and does nothing.
    """
    pending = PendingRefresh.objects.filter(side=side, owner_id=owner_id)
    # Cleared before reading anything, so an edit saved while this runs queues its own refresh.
    if not pending.update(enqueued_at=None):
        return None
    requested = pending.values_list("requested_at", flat=True).first()
    refresh = services.refresh_student if side == RebuildSide.STUDENT else services.refresh_project
    with transaction.atomic():
        result = refresh(owner_id)
        # An edit saved meanwhile moved requested_at on: its row stays for the refresh it queued.
        pending.filter(requested_at=requested).delete()
    return result


def requeue_pending_refreshes(*, older_than_seconds=None, limit=500) -> int:
    """Beat's sweep: queue refreshes still pending after the grace period (never queued, or the message was lost)."""
    grace = settings.C2C_REDELIVERY_AFTER_SECONDS if older_than_seconds is None else older_than_seconds
    cutoff = timezone.now() - timedelta(seconds=grace)
    lost = Q(enqueued_at=None) | Q(enqueued_at__lte=cutoff)
    stale = PendingRefresh.objects.filter(lost, requested_at__lte=cutoff).order_by("requested_at")
    return sum(
        _send_refresh(PendingRefresh.objects.filter(lost, pk=pk), side, owner_id, countdown=0)
        for pk, side, owner_id in stale.values_list("pk", "side", "owner_id")[:limit]
    )

"""The full rebuild: planned as chunks of owners, each chunk idempotent and safe beside live refreshes."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from matching.enums import RebuildSide
from matching.facts import matchable_projects, matchable_students
from matching.lists import Context, project_lists, student_lists, worker_context
from matching.models import (
    ListCutoff,
    Rebuild,
    RebuildChunk,
    RecommendedProject,
    RecommendedStudent,
)
from matching.storage import delete_rows, write_cutoffs, write_lists
from projects.models import Project
from students.models import StudentProfile


def _ranges(ids: list[int], size: int):
    """Consecutive id ranges covering every id from 0 up, `size` ids each (the last one open-ended)."""
    first = 0
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        last = batch[-1] if start + size < len(ids) else 2**62
        yield first, last, len(batch)
        first = last + 1


@transaction.atomic
def plan_rebuild(*, chunk_size: int | None = None) -> Rebuild:
    size = chunk_size or settings.C2C_MATCH_REBUILD_CHUNK
    rebuild = Rebuild.objects.create(chunk_size=size)
    chunks = []
    for side, queryset in (
        (RebuildSide.STUDENT, StudentProfile.objects.all()),
        (RebuildSide.PROJECT, Project.objects.all()),
    ):
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        chunks += [
            RebuildChunk(rebuild=rebuild, side=side, first_id=first, last_id=last, size=count)
            for first, last, count in _ranges(ids, size)
        ]
    RebuildChunk.objects.bulk_create(chunks)
    return rebuild


def run_chunk(chunk_id: int, *, context: Context | None = None) -> bool:
    """Recompute the lists of one chunk's owners; False if it was already done (or is being done)."""
    context = context or worker_context()
    weights = context.weights
    started = timezone.now()
    chunk = RebuildChunk.objects.filter(pk=chunk_id, done_at__isnull=True).order_by().first()
    if chunk is None:
        return False
    id_range = (chunk.first_id, chunk.last_id)
    if chunk.side == RebuildSide.STUDENT:
        owners = context.students(matchable_students().filter(pk__range=id_range))
        lists = student_lists(owners, context.projects(), weights)
        model, owner_field = RecommendedProject, "student_id"
    else:
        owners = context.projects(matchable_projects().filter(pk__range=id_range))
        lists = project_lists(context.discoverable_students(), owners, weights)
        model, owner_field = RecommendedStudent, "project_id"
    with transaction.atomic():
        # of=self: the default ordering joins the shared Rebuild row, which must not be locked by every chunk.
        chunk = (
            RebuildChunk.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=chunk_id, done_at=None)
            .order_by()
            .first()
        )
        if chunk is None:
            return False
        # A refresh that committed after we read the data is newer than this chunk: keep its rows.
        fresher = set(
            model.objects.filter(**_in_range(owner_field, id_range), computed_at__gte=started).values_list(
                owner_field, flat=True
            )
        )
        _delete_range(model, owner_field, id_range, keep=fresher)
        lists = {owner: matches for owner, matches in lists.items() if owner not in fresher}
        write_lists(model, lists, started)
        delete_rows(ListCutoff.objects.filter(side=chunk.side, owner_id__range=id_range).exclude(owner_id__in=fresher))
        write_cutoffs(chunk.side, lists)
        chunk.done_at = timezone.now()
        chunk.save(update_fields=["done_at"])
    finish_rebuild_if_done(chunk.rebuild_id)
    return True


def _delete_range(model, owner_field: str, id_range: tuple, *, keep: set) -> None:
    delete_rows(model.objects.filter(**_in_range(owner_field, id_range)).exclude(**{f"{owner_field}__in": keep}))


def _in_range(field: str, id_range: tuple) -> dict:
    # Foreign keys take no __range lookup.
    return {f"{field}__gte": id_range[0], f"{field}__lte": id_range[1]}


def finish_rebuild_if_done(rebuild_id: int) -> bool:
    if RebuildChunk.objects.filter(rebuild_id=rebuild_id, done_at__isnull=True).exists():
        return False
    return bool(Rebuild.objects.filter(pk=rebuild_id, finished_at__isnull=True).update(finished_at=timezone.now()))


def unfinished_rebuild() -> Rebuild | None:
    return Rebuild.objects.filter(finished_at__isnull=True).order_by("-started_at").first()

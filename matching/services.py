"""Writes for matching: keep each student's and each project's best matches stored, with reasons.

Three ways in, one set of tables:
- `refresh_student` / `refresh_project` after an edit (the worker runs them; see `schedule_*`);
- `run_chunk` for a slice of a full rebuild (`plan_rebuild`), nightly or by `manage.py rebuild_matches`;
- `forget_project` when a project stops taking applications.

Lists hold at least the top C2C_MATCH_TOP_N. A refresh on one side adds the pair to the other
side's list when it reaches that list's cutoff (`ListCutoff`), without rereading the list, so
lists may briefly hold a few more; readers take the top N. The nightly rebuild trims them.
"""

import gc
import logging
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from matching import engine
from matching.enums import RebuildSide
from matching.facts import load_projects, load_student_table, matchable_projects, matchable_students, vocabulary_ids
from matching.models import (
    Invitation,
    ListCutoff,
    PendingRefresh,
    Rebuild,
    RebuildChunk,
    RecommendedProject,
    RecommendedStudent,
    StrongMatchNotice,
)
from matching.scoring import Weights, score_pair
from notifications.enums import Kind
from notifications.services import notify
from projects.models import Project
from students.models import StudentProfile

logger = logging.getLogger(__name__)

BLOCK_ROWS = 250  # students scored at once: small blocks keep the (250 x projects) arrays in the CPU cache
LIST_FIELDS = {RecommendedProject: ("student_id", "project_id"), RecommendedStudent: ("project_id", "student_id")}


# ---------------------------------------------------------------------------
# Scheduling: recorded with the edit, queued after commit, coalesced
# ---------------------------------------------------------------------------


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
    refresh = refresh_student if side == RebuildSide.STUDENT else refresh_project
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


# ---------------------------------------------------------------------------
# Scoring a set of students against a set of projects
# ---------------------------------------------------------------------------


class TableFacts(Sequence):
    """StudentFacts built on demand from a StudentTable, optionally for a subset of its rows."""

    def __init__(self, table, rows=None):
        self.table = table
        self.rows = np.arange(len(table)) if rows is None else rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        return self.table.facts(int(self.rows[index]))

    def subset(self, positions) -> "TableFacts":
        return TableFacts(self.table, self.rows[positions])


@dataclass
class Pool:
    """Facts and their arrays for one side, loaded once and reused across blocks and chunks."""

    facts: list
    arrays: object

    def __len__(self):
        return len(self.facts)


@dataclass
class Context:
    weights: Weights = field(default_factory=Weights.from_settings)
    vocabulary: engine.Vocabulary = None
    _projects: Pool = None
    _students: Pool = None

    def __post_init__(self):
        if self.vocabulary is None:
            self.vocabulary = engine.Vocabulary(*vocabulary_ids())

    def students(self, queryset=None) -> Pool:
        if queryset is not None:
            table = load_student_table(queryset)
            return Pool(TableFacts(table), engine.table_arrays(table, self.vocabulary, self.weights))
        if self._students is None:
            self._students = self.students(matchable_students())
        return self._students

    def discoverable_students(self) -> Pool:
        """Only they can be on a project's list, so only they are scored for one."""
        students = self.students()
        mask = students.arrays.discoverable
        return Pool(students.facts.subset(np.flatnonzero(mask)), students.arrays.rows(mask))

    def projects(self, queryset=None) -> Pool:
        if queryset is not None:
            facts = load_projects(queryset)
            return Pool(facts, engine.project_arrays(facts, self.vocabulary, self.weights))
        if self._projects is None:
            self._projects = self.projects(matchable_projects())
        return self._projects


class _ProjectPoolCache:
    """The worker's copy of every matchable project, reused while nothing about them has changed.

    Projects change far less often than profiles, and reading all of them is most of a student's
    refresh. The version covers edits (updated_at), publishing and closing (the count), business
    decisions (their updated_at), the date (apply-by), and the skill and interest lists.
    """

    def __init__(self):
        self.key = None
        self.vocabulary = None
        self.pool = None

    def get(self, weights: Weights) -> tuple[engine.Vocabulary, Pool]:
        skills, interests = vocabulary_ids()
        version = matchable_projects().aggregate(
            count=Count("pk"), edited=Max("updated_at"), businesses=Max("business__updated_at")
        )
        key = (timezone.localdate(), tuple(version.values()), tuple(sorted(skills)), tuple(sorted(interests)), weights)
        if key != self.key:
            context = Context(weights=weights, vocabulary=engine.Vocabulary(skills, interests))
            self.key, self.vocabulary, self.pool = None, context.vocabulary, context.projects()
            self.key = key
        return self.vocabulary, self.pool


project_pool_cache = _ProjectPoolCache()


def worker_context() -> Context:
    """A context whose projects come from this process's cache (see `_ProjectPoolCache`)."""
    weights = Weights.from_settings()
    vocabulary, projects = project_pool_cache.get(weights)
    return Context(weights=weights, vocabulary=vocabulary, _projects=projects)


def _blocks(students: Pool):
    for start in range(0, len(students), BLOCK_ROWS):
        rows = slice(start, start + BLOCK_ROWS)
        yield start, students.arrays.rows(rows)


def _student_lists(students: Pool, projects: Pool, weights: Weights) -> dict[int, dict]:
    """Each student's top N projects: {profile id: {project id: Match}}."""
    lists = {}
    for offset, block in _blocks(students):
        scores, recommended = engine.score_block(block, projects.arrays, weights)
        lists.update(_block_lists(students, offset, scores, recommended, projects, weights))
    return lists


def _block_lists(students: Pool, offset: int, scores, recommended, projects: Pool, weights: Weights) -> dict:
    """The top N of one scored block of students, from row `offset` of `students`."""
    keys = engine.student_side_keys(scores, recommended, projects.arrays)
    picked = engine.top_n(keys, settings.C2C_MATCH_TOP_N, axis=1)
    lists = {}
    with _collector_paused():
        for row, columns in enumerate(picked):
            student = students.facts[offset + row]
            lists[student.id] = {
                projects.facts[column].id: score_pair(student, projects.facts[column], weights)
                for column in columns
                if keys[row, column] >= 0
            }
    return lists


def _project_lists(students: Pool, projects: Pool, weights: Weights) -> dict[int, dict]:
    """Each project's top N discoverable students: {project id: {profile id: Match}}."""
    top = settings.C2C_MATCH_TOP_N
    best_keys = np.full((0, len(projects)), -1, dtype=np.int64)
    best_rows = np.zeros((0, len(projects)), dtype=np.int64)
    for offset, block in _blocks(students):
        scores, recommended = engine.score_block(block, projects.arrays, weights)
        keys = np.concatenate([best_keys, engine.project_side_keys(scores, recommended, block)])
        block_rows = np.broadcast_to(np.arange(offset, offset + len(block))[:, None], scores.shape)
        rows = np.concatenate([best_rows, block_rows])
        picked = engine.top_n(keys, top, axis=0)
        best_keys = np.take_along_axis(keys, picked, axis=0)
        best_rows = np.take_along_axis(rows, picked, axis=0)
    lists = {}
    chosen = {}  # the same students top many projects' lists: build their facts once
    with _collector_paused():
        for column, project in enumerate(projects.facts):
            matches = lists[project.id] = {}
            for row, key in zip(best_rows[:, column].tolist(), best_keys[:, column].tolist(), strict=True):
                if key >= 0:
                    student = chosen.get(row) or chosen.setdefault(row, students.facts[row])
                    matches[student.id] = score_pair(student, project, weights)
    return lists


@contextmanager
def _collector_paused():
    """Reasons are many small acyclic dicts: cycle collection would only rescan the loaded pools again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _cutoff(matches: dict) -> int:
    """A full list's lowest score (a newcomer must reach it); 0 while the list has room."""
    if len(matches) < settings.C2C_MATCH_TOP_N:
        return 0
    return min(match.score for match in matches.values())


def _cutoffs(side: str, owner_ids) -> np.ndarray:
    """The stored cutoff of each owner's list, in `owner_ids` order; 0 for lists never computed."""
    known = dict(ListCutoff.objects.filter(side=side).values_list("owner_id", "score"))
    return np.array([known.get(owner, 0) for owner in owner_ids.tolist()], dtype=np.int64)


def _save_cutoffs(side: str, lists: dict) -> None:
    ListCutoff.objects.bulk_create(
        [ListCutoff(side=side, owner_id=owner, score=_cutoff(matches)) for owner, matches in lists.items()],
        update_conflicts=True,
        unique_fields=["side", "owner_id"],
        update_fields=["score"],
    )


# ---------------------------------------------------------------------------
# Storing lists
# ---------------------------------------------------------------------------


def _sync(model, *, owner_field: str, owner_id: int, matches: dict, now) -> int:
    """Make the stored rows of one owner equal `matches`; unchanged rows are left alone. Returns rows changed."""
    [other_field] = [name for name in LIST_FIELDS[model] if name != owner_field]
    existing = {
        getattr(row, other_field): row
        for row in model.objects.filter(**{owner_field: owner_id}).only(other_field, "score", "reasons")
    }
    stale = [row.pk for other, row in existing.items() if other not in matches]
    if stale:
        _delete_rows(model.objects.filter(pk__in=stale))
    new, changed = [], []
    for other, match in matches.items():
        row = existing.get(other)
        if row is None:
            new.append(
                model(
                    **{owner_field: owner_id, other_field: other},
                    score=match.score,
                    reasons=match.reasons,
                    computed_at=now,
                )
            )
        elif row.score != match.score or row.reasons != match.reasons:
            row.score, row.reasons, row.computed_at = match.score, match.reasons, now
            changed.append(row)
    model.objects.bulk_create(new, batch_size=1000)
    model.objects.bulk_update(changed, ["score", "reasons", "computed_at"], batch_size=500)
    return len(stale) + len(new) + len(changed)


def _write_cutoffs(side: str, lists: dict) -> None:
    """Insert the cutoffs of whole lists (their old rows are already gone): COPY on Postgres."""
    if connection.vendor != "postgresql":
        _save_cutoffs(side, lists)
        return
    text = "".join(f"{side}\t{owner}\t{_cutoff(matches)}\n" for owner, matches in lists.items())
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {ListCutoff._meta.db_table} (side, owner_id, score) FROM STDIN") as copy,
    ):
        copy.write(text)


def _copy_text(reasons: dict) -> str:
    return orjson.dumps(reasons).decode().replace("\\", "\\\\")


def _write_lists(model, lists: dict, now) -> None:
    """Insert whole lists at once (their old rows are already gone): one COPY on Postgres."""
    owner_field, other_field = LIST_FIELDS[model]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [
                model(**{owner_field: owner, other_field: other}, score=m.score, reasons=m.reasons, computed_at=now)
                for owner, matches in lists.items()
                for other, m in matches.items()
            ],
            batch_size=1000,
        )
        return
    # COPY's text format, built in one go: a row at a time through the driver costs more than the scoring.
    # Reasons hold ids, dates and fixed words, but backslashes are doubled all the same, as the format needs.
    stamp = now.isoformat()
    text = "".join(
        f"{owner}\t{other}\t{match.score}\t{_copy_text(match.reasons)}\t{stamp}\n"
        for owner, matches in lists.items()
        for other, match in matches.items()
    )
    columns = f"{owner_field}, {other_field}, score, reasons, computed_at"
    with connection.cursor() as cursor, cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        copy.write(text)


# ---------------------------------------------------------------------------
# Refreshing after an edit
# ---------------------------------------------------------------------------


def refresh_student(profile_id: int, *, context: Context | None = None) -> None:
    """Recompute one student's list, and their place on every project's list (if discoverable)."""
    context = context or worker_context()
    weights = context.weights
    with transaction.atomic():
        if not StudentProfile.objects.select_for_update().filter(pk=profile_id).exists():
            return
        student = context.students(matchable_students().filter(pk=profile_id))
        if not len(student):
            forget_student(profile_id)
            return
        projects = context.projects()
        now = timezone.now()
        scores, recommended = engine.score_block(student.arrays, projects.arrays, weights)
        own = _block_lists(student, 0, scores, recommended, projects, weights)[profile_id]
        _sync(RecommendedProject, owner_field="student_id", owner_id=profile_id, matches=own, now=now)
        _save_cutoffs(RebuildSide.STUDENT, {profile_id: own})

        reached = {}
        facts = student.facts[0]
        if facts.discoverable and len(projects):
            cutoffs = _cutoffs(RebuildSide.PROJECT, projects.arrays.ids)
            for column in np.flatnonzero(recommended[0] & (scores[0] >= cutoffs)).tolist():
                project = projects.facts[column]
                reached[project.id] = own.get(project.id) or score_pair(facts, project, weights)
        _sync(RecommendedStudent, owner_field="student_id", owner_id=profile_id, matches=reached, now=now)


def refresh_project(project_id: int, *, context: Context | None = None) -> int:
    """Recompute one project's list of students and its place on every student's list.

    Tells students about a strong match (≥ C2C_MATCH_NOTIFY_THRESHOLD) the first time this pair
    reaches it, when the project has made their list. Returns how many students were told.
    """
    context = context or Context()
    weights = context.weights
    with transaction.atomic():
        locked = Project.objects.select_for_update().filter(pk=project_id).first()
        if locked is None:
            return 0
        project = context.projects(matchable_projects().filter(pk=project_id))
        if not len(project):
            forget_project(project_id)
            return 0
        students = context.students()
        now = timezone.now()
        own = _project_lists(context.discoverable_students(), project, weights)[project_id]
        _sync(RecommendedStudent, owner_field="project_id", owner_id=project_id, matches=own, now=now)
        _save_cutoffs(RebuildSide.PROJECT, {project_id: own})

        reached = {}
        facts = project.facts[0]
        if len(students):
            cutoffs = _cutoffs(RebuildSide.STUDENT, students.arrays.ids)
            for offset, block in _blocks(students):
                scores, recommended = engine.score_block(block, project.arrays, weights)
                entering = recommended[:, 0] & (scores[:, 0] >= cutoffs[offset : offset + len(block)])
                for row in np.flatnonzero(entering):
                    student = students.facts[offset + row]
                    reached[student.id] = score_pair(student, facts, weights)
        _sync(RecommendedProject, owner_field="project_id", owner_id=project_id, matches=reached, now=now)
        return _notify_strong_matches(locked, reached)


def _notify_strong_matches(project: Project, reached: dict) -> int:
    threshold = settings.C2C_MATCH_NOTIFY_THRESHOLD
    strong = {student: match for student, match in reached.items() if match.score >= threshold}
    if not strong:
        return 0
    told = set(
        StrongMatchNotice.objects.filter(project=project, student_id__in=strong).values_list("student_id", flat=True)
    )
    fresh = {student: match for student, match in strong.items() if student not in told}
    StrongMatchNotice.objects.bulk_create(
        [StrongMatchNotice(project=project, student_id=student, score=match.score) for student, match in fresh.items()],
        ignore_conflicts=True,
    )
    profiles = StudentProfile.objects.filter(pk__in=fresh).select_related("user")
    business = project.business.name
    for profile in profiles:
        notify(
            recipient=profile.user,
            kind=Kind.NEW_MATCH,
            title=f"A strong match for you: {project.title}",
            body=f"{business} posted a project that scores {fresh[profile.pk].score}/100 for you. {project.summary}",
            url=project.get_absolute_url(),
        )
    return len(fresh)


def forget_project(project_id: int) -> None:
    """A project stopped taking applications: it leaves every list at once."""
    _delete_rows(RecommendedProject.objects.filter(project_id=project_id))
    _delete_rows(RecommendedStudent.objects.filter(project_id=project_id))
    _delete_rows(ListCutoff.objects.filter(side=RebuildSide.PROJECT, owner_id=project_id))


def forget_student(profile_id: int) -> None:
    _delete_rows(RecommendedProject.objects.filter(student_id=profile_id))
    _delete_rows(RecommendedStudent.objects.filter(student_id=profile_id))
    _delete_rows(ListCutoff.objects.filter(side=RebuildSide.STUDENT, owner_id=profile_id))


def _delete_rows(queryset) -> None:
    """One DELETE statement: nothing refers to matching's rows, so Django's collector has nothing to find.

    (`QuerySet.delete()` would first read every row, thousands of them for a popular project.)
    """
    queryset._raw_delete(queryset.db)


# ---------------------------------------------------------------------------
# Full rebuild: planned as chunks, each chunk idempotent
# ---------------------------------------------------------------------------


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
        lists = _student_lists(owners, context.projects(), weights)
        model, owner_field = RecommendedProject, "student_id"
    else:
        owners = context.projects(matchable_projects().filter(pk__range=id_range))
        lists = _project_lists(context.discoverable_students(), owners, weights)
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
        _write_lists(model, lists, started)
        _delete_rows(ListCutoff.objects.filter(side=chunk.side, owner_id__range=id_range).exclude(owner_id__in=fresher))
        _write_cutoffs(chunk.side, lists)
        chunk.done_at = timezone.now()
        chunk.save(update_fields=["done_at"])
    finish_rebuild_if_done(chunk.rebuild_id)
    return True


def _delete_range(model, owner_field: str, id_range: tuple, *, keep: set) -> None:
    _delete_rows(model.objects.filter(**_in_range(owner_field, id_range)).exclude(**{f"{owner_field}__in": keep}))


def _in_range(field: str, id_range: tuple) -> dict:
    # Foreign keys take no __range lookup.
    return {f"{field}__gte": id_range[0], f"{field}__lte": id_range[1]}


def finish_rebuild_if_done(rebuild_id: int) -> bool:
    if RebuildChunk.objects.filter(rebuild_id=rebuild_id, done_at__isnull=True).exists():
        return False
    return bool(Rebuild.objects.filter(pk=rebuild_id, finished_at__isnull=True).update(finished_at=timezone.now()))


def unfinished_rebuild() -> Rebuild | None:
    return Rebuild.objects.filter(finished_at__isnull=True).order_by("-started_at").first()


# ---------------------------------------------------------------------------
# Invitations
# ---------------------------------------------------------------------------


@transaction.atomic
def invite_student(*, actor, project: Project, student: StudentProfile) -> Invitation:
    """A member of the project's business asks a recommended, discoverable student to apply."""
    from businesses.selectors import business_for
    from students.selectors import public_name

    if business_for(actor) != project.business:
        raise PermissionDenied("Only the project's business can invite students.")
    if not matchable_projects().filter(pk=project.pk).exists():
        raise ValidationError("This project isn't taking applications, so there is nothing to invite to.")
    if not RecommendedStudent.objects.filter(project=project, student=student, student__discoverable=True).exists():
        raise ValidationError("You can invite students from this project's recommendations only.")
    if project.applications.filter(student_id=student.user_id).exists():
        raise ValidationError(f"{public_name(student.user)} has already applied.")
    invitation, created = Invitation.objects.get_or_create(
        project=project, student=student, defaults={"invited_by": actor}
    )
    if not created:
        raise ValidationError(f"You already invited {public_name(student.user)}.")
    notify(
        recipient=student.user,
        kind=Kind.INVITATION,
        title=f"{project.business.name} invites you to apply: {project.title}",
        body=f"They think you would be a good fit. {project.summary}",
        url=project.get_absolute_url(),
    )
    return invitation


def tidy_tables() -> None:
    """Reclaim the rows a rebuild replaced and refresh planner statistics (Postgres; outside any transaction).

    A rebuild rewrites a million rows; without this the next one works through all the dead ones.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (RecommendedProject, RecommendedStudent, ListCutoff):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def list_sizes() -> tuple[int, int]:
    return RecommendedProject.objects.count(), RecommendedStudent.objects.count()

"""Storing match lists: one owner's list synced row by row, whole slices written with COPY, and the
housekeeping (VACUUM, sizes) the nightly rebuild does."""

import orjson
from django.db import connection

from matching.lists import cutoff, save_cutoffs
from matching.models import (
    ListCutoff,
    RecommendedProject,
    RecommendedStudent,
)

LIST_FIELDS = {RecommendedProject: ("student_id", "project_id"), RecommendedStudent: ("project_id", "student_id")}


def sync_list(model, *, owner_field: str, owner_id: int, matches: dict, now) -> set[int]:
    """Make the stored rows of one owner equal `matches`; unchanged rows are left alone.

    Returns the other side's ids whose row was added, changed or removed."""
    [other_field] = [name for name in LIST_FIELDS[model] if name != owner_field]
    existing = {
        getattr(row, other_field): row
        for row in model.objects.filter(**{owner_field: owner_id}).only(other_field, "score", "reasons")
    }
    stale = {other: row.pk for other, row in existing.items() if other not in matches}
    if stale:
        delete_rows(model.objects.filter(pk__in=stale.values()))
    new, changed, touched = [], [], set(stale)
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
            touched.add(other)
        elif row.score != match.score or row.reasons != match.reasons:
            row.score, row.reasons, row.computed_at = match.score, match.reasons, now
            changed.append(row)
            touched.add(other)
    model.objects.bulk_create(new, batch_size=1000)
    model.objects.bulk_update(changed, ["score", "reasons", "computed_at"], batch_size=500)
    return touched


def write_cutoffs(side: str, lists: dict) -> None:
    """Insert the cutoffs of whole lists (their old rows are already gone): COPY on Postgres."""
    if connection.vendor != "postgresql":
        save_cutoffs(side, lists)
        return
    text = "".join(f"{side}\t{owner}\t{cutoff(matches)}\n" for owner, matches in lists.items())
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {ListCutoff._meta.db_table} (side, owner_id, score) FROM STDIN") as copy,
    ):
        copy.write(text)


def _copy_text(reasons: dict) -> str:
    return orjson.dumps(reasons).decode().replace("\\", "\\\\")


def write_lists(model, lists: dict, now) -> None:
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


def delete_rows(queryset) -> None:
    """One DELETE statement: nothing refers to matching's rows, so Django's collector has nothing to find.

    (`QuerySet.delete()` would first read every row, thousands of them for a popular project.)
    """
    queryset._raw_delete(queryset.db)


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

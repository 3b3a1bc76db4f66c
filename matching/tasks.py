from celery import group
from django.db import DatabaseError

from c2c.celery import app
from matching import rebuild as full_rebuild
from matching import scheduling, storage
from matching.enums import RebuildSide

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 5 * 60,
    "retry_jitter": True,
    "max_retries": 8,
}


@app.task(**RETRY)
def refresh_student_matches(profile_id):
    scheduling.run_pending_refresh(RebuildSide.STUDENT, profile_id)


@app.task(**RETRY)
def refresh_project_matches(project_id):
    return scheduling.run_pending_refresh(RebuildSide.PROJECT, project_id)


@app.task
def requeue_pending_refreshes():
    return scheduling.requeue_pending_refreshes()


@app.task(**RETRY)
def rebuild_chunk(chunk_id):
    done = full_rebuild.run_chunk(chunk_id)
    if done and full_rebuild.unfinished_rebuild() is None:
        storage.tidy_tables()
    return done


@app.task
def rebuild_all_matches():
    """Nightly: plan a rebuild and fan its chunks out to every worker listening on the matching queue."""
    rebuild = full_rebuild.plan_rebuild()
    chunk_ids = list(rebuild.chunks.values_list("pk", flat=True))
    group(rebuild_chunk.s(chunk_id) for chunk_id in chunk_ids).apply_async()
    return len(chunk_ids)

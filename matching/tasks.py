from celery import group
from django.db import DatabaseError

from c2c.celery import app
from matching import services
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
    services.run_pending_refresh(RebuildSide.STUDENT, profile_id)


@app.task(**RETRY)
def refresh_project_matches(project_id):
    return services.run_pending_refresh(RebuildSide.PROJECT, project_id)


@app.task
def requeue_pending_refreshes():
    return services.requeue_pending_refreshes()


@app.task(**RETRY)
def rebuild_chunk(chunk_id):
    done = services.run_chunk(chunk_id)
    if done and services.unfinished_rebuild() is None:
        services.tidy_tables()
    return done


@app.task
def rebuild_all_matches():
    """Nightly: plan a rebuild and fan its chunks out to every worker listening on the matching queue."""
    rebuild = services.plan_rebuild()
    chunk_ids = list(rebuild.chunks.values_list("pk", flat=True))
    group(rebuild_chunk.s(chunk_id) for chunk_id in chunk_ids).apply_async()
    return len(chunk_ids)

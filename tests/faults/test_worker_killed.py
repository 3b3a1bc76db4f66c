"""Fault 2: the worker dies in the middle of a matching task: one pool process, then the whole worker.

The task is held mid-way (its matches written, its notification insert waiting on a table lock the
test holds) and killed there. It runs again, and what is stored is what a clean run stores: the same
matches, one notification for the strong match, none twice.
"""

import os
import signal
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection, transaction

from matching import scheduling as matching_scheduling
from matching import services as matching
from matching.models import PendingRefresh, RecommendedProject, RecommendedStudent, StrongMatchNotice
from notifications.enums import Kind
from notifications.models import Notification
from tests.faults import servers
from tests.faults.servers import wait_until
from tests.processes import publishing_to, running
from tests.projects.factories import ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]


@contextmanager
def notification_inserts_held():
    """Hold a lock that makes any INSERT into the notifications table wait, from another connection."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None,
        dbname=db["NAME"], autocommit=False,
    ) as holder:  # fmt: skip
        holder.execute('LOCK TABLE "notifications_notification" IN SHARE MODE')
        try:
            yield
        finally:
            holder.rollback()


def waiting_notification_inserts() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO \"notifications_notification\"%%'"
        )
        return cursor.fetchone()[0]


def a_project_with_one_strong_and_one_weak_student():
    poster_design = SkillFactory(name="Poster design")
    strong = StudentProfileFactory(skills=[(poster_design, "advanced")])
    weak = StudentProfileFactory(skills=[], interests=[])
    project = ProjectFactory(title="Posters for the spring fair", required_skills=[poster_design])
    return project, strong, weak


def stored_state(project):
    return {
        # The project on students' lists, and students on the project's list (only discoverable ones).
        "on_lists": sorted(
            RecommendedProject.objects.filter(project=project).values_list("student_id", "score", "reasons")
        ),
        "its_list": sorted(
            RecommendedStudent.objects.filter(project=project).values_list("student_id", "score", "reasons")
        ),
        "notices": sorted(StrongMatchNotice.objects.filter(project=project).values_list("student_id", "score")),
        "told": sorted(Notification.objects.filter(kind=Kind.NEW_MATCH).values_list("recipient_id", "title")),
    }


def assert_done_once(project, strong, weak):
    """The outcome a single clean run gives, stated independently of the code, then checked against a rerun."""
    state = stored_state(project)
    assert [student for student, *_ in state["on_lists"]].count(strong.pk) == 1
    assert {student: score for student, score, _ in state["on_lists"]}[strong.pk] >= 75
    assert state["notices"] == [(strong.pk, state["notices"][0][1])]
    assert state["told"] == [(strong.user_id, "A strong match for you: Posters for the spring fair")]
    assert not Notification.objects.filter(recipient=weak.user, kind=Kind.NEW_MATCH).exists()
    assert not PendingRefresh.objects.exists()
    # A clean recomputation now changes nothing and tells nobody again.
    assert matching.refresh_project(project.pk) == 0
    assert stored_state(project) == state


def refresh_held_mid_way(project, redis_server):
    """Queue the project's refresh (as publishing it does) and wait until the worker is stuck inside it."""
    with publishing_to(redis_server.url()), transaction.atomic():
        matching_scheduling.schedule_project_refresh(project.pk)
    wait_until(waiting_notification_inserts, timeout=60, what="the refresh to reach its notification insert")
    assert not Notification.objects.exists()


def test_a_pool_process_killed_mid_refresh_runs_it_again_with_the_same_outcome(redis_server, app_env, faults_dir):
    project, strong, weak = a_project_with_one_strong_and_one_weak_student()
    with running(servers.Celery("worker", app_env, faults_dir)) as worker:
        with notification_inserts_held():
            refresh_held_mid_way(project, redis_server)
            [pool_process] = worker.pool_children()
            os.kill(pool_process, signal.SIGKILL)
            wait_until(lambda: "signal 9 (SIGKILL)" in worker.output(), timeout=30, what="the worker to notice")
        wait_until(lambda: not PendingRefresh.objects.exists(), timeout=90, what="the refresh to run again")
    assert worker.output().count("Task matching.tasks.refresh_project_matches[") >= 2  # received twice
    assert_done_once(project, strong, weak)


def test_the_whole_worker_killed_mid_refresh_is_run_again_through_the_sweep(redis_server, app_env, faults_dir, beat):
    project, strong, weak = a_project_with_one_strong_and_one_weak_student()
    first = servers.Celery("worker", app_env, faults_dir).start()
    try:
        with notification_inserts_held():
            refresh_held_mid_way(project, redis_server)
            first.kill()
    finally:
        first.kill() if first.process else None
    # Its message stays unacknowledged in Redis until the visibility timeout (an hour); the pending
    # refresh in Postgres is what brings it back, through beat's sweep, to the next worker.
    with running(servers.Celery("worker", app_env, faults_dir)):
        wait_until(lambda: not PendingRefresh.objects.exists(), timeout=90, what="the sweep to rerun the refresh")
    assert_done_once(project, strong, weak)

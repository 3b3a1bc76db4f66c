"""Fault 4: Redis restarts with messages still queued (it keeps nothing on disk), so they are gone.

What was recorded in Postgres (an email to send, a match refresh to run) is enqueued again by beat's
periodic sweep, and done exactly once.
"""

import time

import pytest
from django.db import transaction

from matching import scheduling as matching_scheduling
from matching.models import PendingRefresh, RecommendedProject
from notifications.enums import EmailStatus, Kind
from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory
from tests.faults import servers
from tests.faults.servers import wait_until
from tests.processes import mails_to, publishing_to, running
from tests.projects.factories import ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]


def effective_runs(log: str, task: str, *, nothing_done: str) -> int:
    """Runs of `task` that did the work: it returns `nothing_done` when it found nothing left to do."""
    finished = [line for line in log.splitlines() if f"Task {task}[" in line and " succeeded in " in line]
    return sum(1 for line in finished if not line.endswith(f": {nothing_done}"))


def test_work_queued_when_redis_restarted_is_sent_again_by_the_sweep_and_done_once(redis_server, app_env, faults_dir):
    poster_design = SkillFactory(name="Poster design")
    strong = StudentProfileFactory(skills=[(poster_design, "advanced")])
    project = ProjectFactory(title="Posters for the spring fair", required_skills=[poster_design])
    member = UserFactory(email="member@example.org")
    with publishing_to(redis_server.url()), transaction.atomic():
        reminder = notify(recipient=member, kind=Kind.ACCOUNT, title="Your password was changed")
        matching_scheduling.schedule_project_refresh(project.pk)
    assert redis_server.queued("notifications") == 1
    assert redis_server.queued("matching") == 1

    redis_server.stop()
    redis_server.start()
    assert redis_server.queued("notifications") == redis_server.queued("matching") == 0

    with (
        running(servers.Celery("worker", app_env, faults_dir)) as worker,
        running(servers.Celery("beat", app_env, faults_dir)),
    ):

        def done():
            reminder.refresh_from_db()
            return reminder.email_status == EmailStatus.SENT and not PendingRefresh.objects.exists()

        wait_until(done, timeout=90, interval=0.5, what="the sweep to send the lost work again")
        time.sleep(4)  # later sweeps find nothing left to send
        log = worker.output()

    assert mails_to(faults_dir / "mail", "member@example.org") == 1
    reminder.refresh_from_db()
    assert reminder.delivery_attempts == 1
    # A task delivered twice (the sweep is free to send it again) finds nothing to do the second time.
    assert effective_runs(log, "notifications.tasks.deliver_notification", nothing_done="False") == 1
    assert effective_runs(log, "matching.tasks.refresh_project_matches", nothing_done="None") == 1
    assert RecommendedProject.objects.filter(project=project, student=strong).count() == 1
    assert Notification.objects.filter(recipient=strong.user, kind=Kind.NEW_MATCH).count() == 1

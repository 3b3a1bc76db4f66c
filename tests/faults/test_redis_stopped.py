"""Fault 1: Redis stops while students and owners use the site.

Every page still answers, quickly, for anonymous and signed-in visitors; a student can apply and sees
the usual confirmation; the business's email goes out exactly once when Redis is back.
"""

import json
import time

import pytest
from django.urls import reverse

from notifications.enums import EmailStatus, Kind
from notifications.models import Notification
from projects.models import Application
from tests.factories import PASSWORD, BusinessOwnerFactory
from tests.faults.servers import wait_until
from tests.faults.visitor import Visitor
from tests.processes import mails_to
from tests.projects.factories import ProjectFactory
from tests.students.factories import student

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

# "No hang of more than a second or two" (issue 10), with room for a busy CI machine.
SLOW = 2.0


def pages_for(project, owner_project) -> dict:
    anonymous = [
        "/",
        reverse("projects:browse"),
        reverse("projects:browse") + "?q=posters&sort=pay",
        project.get_absolute_url(),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("businesses:register"),
        "/robots.txt",
    ]
    student = [
        "/",
        reverse("projects:browse"),
        project.get_absolute_url(),
        reverse("projects:apply", args=[project.pk]),
        reverse("projects:my_applications"),
        reverse("students:profile"),
        reverse("students:portfolio"),
        reverse("engagements:list"),
        reverse("notifications:inbox"),
        reverse("notifications:preferences"),
    ]
    owner = [
        "/",
        reverse("businesses:dashboard"),
        reverse("businesses:project", args=[owner_project.pk]),
        reverse("businesses:applicants", args=[owner_project.pk]),
        reverse("businesses:recommended", args=[owner_project.pk]),
        project.get_absolute_url(),
        reverse("notifications:inbox"),
    ]
    return {"anonymous": anonymous, "student": student, "owner": owner}


def assert_answers(visitor: Visitor, paths: list[str]):
    for path in paths:
        response = visitor.get(path)
        assert response.status == 200, response.text()
        assert response.elapsed < SLOW, response.text(100)


def test_with_redis_stopped_pages_answer_applying_works_and_the_email_follows_once(
    redis_server, worker, beat, web, faults_dir
):
    project = ProjectFactory(title="Posters for the spring fair")
    owner = BusinessOwnerFactory(email="owner@example.org", business=project.business)
    applicant = student(user__email="ana@example.org")
    pages = pages_for(project, project)
    visitors = {"anonymous": Visitor(web.port), "student": Visitor(web.port), "owner": Visitor(web.port)}
    visitors["student"].log_in(applicant.email, PASSWORD)
    visitors["owner"].log_in(owner.email, PASSWORD)
    for who, visitor in visitors.items():
        assert_answers(visitor, pages[who])

    redis_server.stop()

    health = visitors["anonymous"].get("/healthz")
    assert health.status == 200, health.text()
    assert json.loads(health.body) == {"database": "ok", "broker": "down", "worker": "down"}
    assert health.elapsed < 1.0, f"/healthz took {health.elapsed:.2f} s with Redis down"
    for who, visitor in visitors.items():
        assert_answers(visitor, pages[who])
    # Signing in needs the cache (allauth counts attempts in it) and a session: neither may fail.
    latecomer = Visitor(web.port)
    latecomer.log_in(owner.email, PASSWORD)
    assert_answers(latecomer, [reverse("businesses:dashboard")])

    applied = visitors["student"].post(
        reverse("projects:apply", args=[project.pk]),
        {"cover_note": "I design the posters for my college's theatre club.", "confirmed_availability": "on"},
    )
    assert applied.status == 200, applied.text()
    assert applied.elapsed < SLOW
    assert f"Application sent to {project.business.name}." in applied.body
    application = Application.objects.get(project=project, student=applicant)
    assert application.cover_note == "I design the posters for my college's theatre club."
    heads_up = Notification.objects.get(recipient=owner, kind=Kind.NEW_APPLICATION)
    assert heads_up.email_status == EmailStatus.PENDING
    time.sleep(3)  # several sweeps with the broker down: they must neither crash nor send
    assert mails_to(faults_dir / "mail", owner.email) == 0

    redis_server.start()

    def delivered():
        heads_up.refresh_from_db()
        return heads_up.email_status == EmailStatus.SENT

    wait_until(delivered, timeout=90, interval=0.5, what="the business's email after Redis came back")
    time.sleep(4)  # more sweeps, now with the broker up: still one email
    assert mails_to(faults_dir / "mail", owner.email) == 1
    heads_up.refresh_from_db()
    assert heads_up.delivery_attempts == 1
    assert "Internal Server Error" not in web.log.read_text()

"""Fault 5: Postgres restarts under light load.

While it is down, requests get a clean 503 page in the site's layout within seconds (no traceback, no
hang) and /healthz says the database is down; once it is back, the site serves normally by itself,
and the worker delivers again, with no restart of gunicorn or the worker.
"""

import json
import subprocess
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import PASSWORD, BusinessOwnerFactory
from tests.faults import servers
from tests.faults.servers import wait_until
from tests.faults.visitor import Visitor
from tests.processes import mails_to, running
from tests.projects.factories import ProjectFactory
from tests.students.factories import student

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

# "Not a hang past a few seconds": Postgres refuses connections at once while it is down; the
# database connect timeout (5 s) bounds the case where it does not answer at all.
FEW_SECONDS = 5.0
OUTAGE_PAGE = "We'll be back in a moment"


@pytest.fixture
def throwaway_postgres(faults_dir):
    postgres = servers.Postgres()
    try:
        yield postgres.start()
    finally:
        postgres.destroy()


def copy_test_database_to(postgres: servers.Postgres, name: str) -> None:
    """This test's database (schema and the rows it created), copied onto the throwaway server."""
    postgres.create_database(name)
    db = connection.settings_dict
    source = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres"]
    dump = subprocess.run(
        [servers.postgres_bin("pg_dump"), *source, "--no-owner", "--no-privileges", db["NAME"]],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    subprocess.run(
        [servers.postgres_bin("psql"), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "-q",
         "-v", "ON_ERROR_STOP=1", "-d", name],
        input=dump.stdout, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


class LightLoad:
    """A couple of visitors requesting pages one after another, every answer kept with its time."""

    def __init__(self, visitors_and_paths):
        self.visitors_and_paths = visitors_and_paths
        self.answers = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=pair, daemon=True) for pair in visitors_and_paths]

    def _run(self, visitor, paths):
        while not self.stopping.is_set():
            for path in paths:
                started = time.monotonic()
                try:
                    response = visitor.get(path, follow=False)
                except OSError as error:  # a refused or reset connection is an answer too: a bad one
                    self.answers.append((started, path, None, time.monotonic() - started, repr(error)))
                    continue
                self.answers.append((started, path, response.status, response.elapsed, response.body))
                time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


def test_postgres_restarted_under_light_load(throwaway_postgres, redis_server, faults_dir, collected_static):
    project = ProjectFactory(title="Posters for the spring fair")
    owner = BusinessOwnerFactory(email="owner@example.org", business=project.business)
    applicant = student(user__email="ana@example.org")
    copy_test_database_to(throwaway_postgres, "c2c")
    env = servers.app_environment(
        database_url=throwaway_postgres.url("c2c"), redis_url=redis_server.url(), mail_dir=faults_dir / "mail"
    )
    pages = ["/", reverse("projects:browse"), project.get_absolute_url()]
    signed_in_pages = [reverse("notifications:inbox"), reverse("projects:my_applications")]
    unseen_page = f"{reverse('projects:browse')}?q=posters"  # asked for by nobody before the outage

    with running(servers.Gunicorn(env, faults_dir)) as web, running(servers.Celery("worker", env, faults_dir)):
        ana = Visitor(web.port)
        ana.log_in(applicant.email, PASSWORD)
        anonymous = Visitor(web.port)
        load_visitor = Visitor(web.port)
        load_visitor.cookies = dict(ana.cookies)
        with LightLoad([(Visitor(web.port), pages), (load_visitor, signed_in_pages)]) as load:
            time.sleep(1.5)
            throwaway_postgres.stop("fast")
            stopped_at = time.monotonic()
            time.sleep(1)

            health = anonymous.get("/healthz")
            assert health.status == 503, health.text()
            assert json.loads(health.body)["database"] == "down"
            assert health.elapsed < FEW_SECONDS
            # A visitor still gets a public page kept from before the outage (c2c/page_cache.py)...
            kept = anonymous.get(project.get_absolute_url())
            assert kept.status == 200 and project.title in kept.body and kept.elapsed < FEW_SECONDS
            # ...and the outage page for anything that needs the database.
            for visitor, path in [(anonymous, unseen_page), (ana, reverse("notifications:inbox"))]:
                down = visitor.get(path)
                assert down.status == 503, down.text()
                assert OUTAGE_PAGE in down.body
                assert 'aria-label="Main navigation"' in down.body  # the site's layout
                assert down.elapsed < FEW_SECONDS
            time.sleep(1)

            throwaway_postgres.start()
            restarted_at = time.monotonic()
            for visitor, path in [(anonymous, unseen_page), (ana, reverse("notifications:inbox"))]:
                wait_until(lambda v=visitor, p=path: v.get(p).status == 200, timeout=15, what=f"{path} to recover")
            recovered_at = time.monotonic()
            time.sleep(1.5)

        # The same gunicorn and worker, never restarted: applying works, and the worker delivers the email.
        applied = ana.post(
            reverse("projects:apply", args=[project.pk]),
            {"cover_note": "I design the posters for my college's theatre club.", "confirmed_availability": "on"},
        )
        assert f"Application sent to {project.business.name}." in applied.body, applied.text()
        wait_until(lambda: mails_to(faults_dir / "mail", owner.email) == 1, timeout=60, what="the owner's email")

    answers = load.answers
    assert all(status in (200, 503) for _, _, status, _, _ in answers), [a[:4] for a in answers if a[2] != 200]
    assert all(elapsed < FEW_SECONDS for *_, elapsed, _ in answers), max(elapsed for *_, elapsed, _ in answers)
    outage = [a for a in answers if a[2] == 503]
    assert outage, "no request met the outage"
    assert all(OUTAGE_PAGE in body and "Traceback" not in body for *_, body in outage)
    assert all(stopped_at - 1 <= started <= recovered_at for started, *_ in outage)
    after = [a for a in answers if a[0] > recovered_at]
    assert after and all(status == 200 for _, _, status, _, _ in after)
    assert recovered_at - restarted_at < 15

"""Benchmark of the impact report on a marketplace's worth of history.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/c2c .venv/bin/python bench/impact.py

Uses its own database, `<name>_impact` next to the one DATABASE_URL names (created and migrated if missing).
Generates once (seeded, bulk inserts) and reuses while the counts match (--regenerate starts again):
20,000 students who joined over 18 months, 300 businesses, 5,000 projects, 30,000 applications (a third
answered with an offer), and an engagement for every accepted offer, most completed and paid. Then requests
`/admin/impact/` as a signed-in staff member with the default period (the last 12 months), a filtered
period and the figures CSV, and reports wall time and SQL queries per request. Ends with one JSON line.
"""

import argparse
import io
import json
import math
import os
import random
import statistics
import sys
import time
import warnings
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.own_database import use_own_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2c.settings")

TARGET_QUERIES, TARGET_P95_MS = 20, 300
SEED = 20261203
BATCH = 2000
EMAIL_DOMAIN = "impact.bench.example"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--projects", type=int, default=5_000)
    parser.add_argument("--businesses", type=int, default=300)
    parser.add_argument("--applications", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--regenerate", action="store_true", help="delete and generate the bench data again")
    return parser.parse_args()


ARGS = parse_args()
DATABASE_NAME = use_own_database("impact", "bench/impact.py")

import django  # noqa: E402

django.setup()
# WhiteNoise warns that `collectstatic` hasn't run; the bench serves no static files.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("ensure_database", stdout=io.StringIO())
call_command("migrate", interactive=False, verbosity=0)

from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from activity.enums import Verb  # noqa: E402
from activity.models import ActivityLog  # noqa: E402
from businesses.enums import BusinessStatus, Industry, OrganisationSize, OrganisationType  # noqa: E402
from businesses.models import Business  # noqa: E402
from engagements.enums import EngagementStatus  # noqa: E402
from engagements.models import Engagement  # noqa: E402
from projects.enums import ApplicationStatus, Category, LocationMode, ProjectStatus  # noqa: E402
from projects.models import Application, Project  # noqa: E402
from students.enums import LocationPreference, SchoolType  # noqa: E402
from students.models import StudentProfile  # noqa: E402
from tests.factories import StaffFactory, sign_in  # noqa: E402

HOURS = (None, 5, 8, 10, 12, 15, 20, 25, 30, 40)
DAYS = 540  # how far back the history goes


def data_ready() -> bool:
    return (
        User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}", role=Role.STUDENT).count() == ARGS.students
        and Project.objects.filter(business__website_domain__endswith=f".{EMAIL_DOMAIN}").count() == ARGS.projects
    )


def wipe():
    Business.objects.filter(website_domain__endswith=f".{EMAIL_DOMAIN}").delete()
    User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()


def ago(rng: random.Random, now, most_days: int = DAYS):
    return now - timedelta(days=rng.uniform(0, most_days))


@transaction.atomic
def generate(rng: random.Random) -> float:
    started = time.perf_counter()
    now = timezone.now()
    users = User.objects.bulk_create(
        (
            User(
                email=f"student{n}@{EMAIL_DOMAIN}",
                full_name=f"Student {n}",
                role=Role.STUDENT,
                password="!",
                date_joined=ago(rng, now),
            )
            for n in range(ARGS.students)
        ),
        batch_size=BATCH,
    )
    StudentProfile.objects.bulk_create(
        (
            StudentProfile(
                user=user,
                school="Bench College",
                school_type=rng.choice(SchoolType.values),
                hours_per_week=rng.choice(HOURS),
                location_preference=LocationPreference.REMOTE,
                onboarding_completed_at=user.date_joined + timedelta(days=rng.uniform(0, 10))
                if rng.random() < 0.7
                else None,
            )
            for user in users
        ),
        batch_size=BATCH,
    )
    owners = User.objects.bulk_create(
        User(email=f"owner{n}@{EMAIL_DOMAIN}", full_name=f"Owner {n}", role=Role.BUSINESS, password="!")
        for n in range(ARGS.businesses)
    )
    businesses = Business.objects.bulk_create(
        Business(
            name=f"Impact Org {n}",
            org_type=OrganisationType.SMALL_BUSINESS,
            industry=rng.choice(Industry.values),
            size=OrganisationSize.values[0],
            website_domain=f"org{n}.{EMAIL_DOMAIN}",
            contact_name=owner.full_name,
            contact_email=owner.email,
            status=BusinessStatus.APPROVED,
        )
        for n, owner in enumerate(owners)
    )
    Business.objects.filter(pk__in=[b.pk for b in businesses]).update(created_at=ago(rng, now))
    business_type = ContentType.objects.get_for_model(Business)
    ActivityLog.objects.bulk_create(
        ActivityLog(
            verb=Verb.STATUS_CHANGED,
            target_type=business_type,
            target_id=business.pk,
            from_state=BusinessStatus.PENDING,
            to_state=BusinessStatus.APPROVED,
            created_at=ago(rng, now),
        )
        for business in businesses
    )
    projects = []
    for n in range(ARGS.projects):
        weeks, hours = rng.randint(2, 8), rng.choice((5, 8, 10, 15, 20))
        published = ago(rng, now)
        projects.append(
            Project(
                business=rng.choice(businesses),
                title=f"Impact project {n}",
                summary="A short paid project.",
                description="Bench data.",
                category=rng.choice(Category.values),
                duration_weeks=weeks,
                hours_per_week=hours,
                fee=Decimal(weeks * hours * rng.randint(15, 40)),
                location_mode=LocationMode.REMOTE,
                earliest_start=(published + timedelta(days=21)).date(),
                apply_by=(published + timedelta(days=14)).date(),
                status=ProjectStatus.COMPLETED,
                published_at=published,
            )
        )
    projects = Project.objects.bulk_create(projects, batch_size=BATCH)
    offered_type = ContentType.objects.get_for_model(Application)
    pairs = set()
    applications = []
    while len(applications) < ARGS.applications:
        user, project = rng.choice(users), rng.choice(projects)
        if (user.pk, project.pk) in pairs:
            continue
        pairs.add((user.pk, project.pk))
        applied = project.published_at + timedelta(days=rng.uniform(0, 14))
        roll = rng.random()
        status = (
            ApplicationStatus.ACCEPTED
            if roll < 0.12
            else ApplicationStatus.DECLINED
            if roll < 0.6
            else ApplicationStatus.EXPIRED
            if roll < 0.75
            else ApplicationStatus.SUBMITTED
        )
        answered = applied + timedelta(days=rng.uniform(0.2, 12)) if status != ApplicationStatus.SUBMITTED else None
        applications.append(
            Application(
                project=project,
                student=user,
                cover_note="Bench",
                status=status,
                status_changed_at=answered or applied,
                first_response_at=answered if status != ApplicationStatus.EXPIRED else None,
            )
        )
    applications = Application.objects.bulk_create(applications, batch_size=BATCH)
    offers, engagements = [], []
    for made in applications:
        if made.status != ApplicationStatus.ACCEPTED:
            continue
        offers.append(
            ActivityLog(
                verb=Verb.STATUS_CHANGED,
                target_type=offered_type,
                target_id=made.pk,
                from_state=ApplicationStatus.SUBMITTED,
                to_state=ApplicationStatus.OFFERED,
                created_at=made.first_response_at,
            )
        )
        began = made.first_response_at + timedelta(days=2)
        done = began + timedelta(weeks=made.project.duration_weeks)
        finished = done < now and rng.random() < 0.9
        paid = done + timedelta(days=rng.uniform(1, 25)) if finished and rng.random() < 0.85 else None
        engagements.append(
            Engagement(
                application=made,
                project=made.project,
                business_id=made.project.business_id,
                student=made.student,
                status=EngagementStatus.COMPLETED if finished else EngagementStatus.ACTIVE,
                started_at=began,
                completed_at=done if finished else None,
                payment_sent_at=paid,
                payment_received_at=paid,
            )
        )
    ActivityLog.objects.bulk_create(offers, batch_size=BATCH)
    Engagement.objects.bulk_create(engagements, batch_size=BATCH)
    # Applications' creation times (auto_now_add) go back to when each was sent.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE projects_application SET created_at = status_changed_at - interval '1 day' * random() "
            "WHERE student_id IN (SELECT id FROM accounts_user WHERE email LIKE %s)",
            [f"%@{EMAIL_DOMAIN}"],
        )
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def measure(client: Client, url: str) -> dict:
    for _ in range(2):
        client.get(url)
    walls, queries = [], []
    for _ in range(ARGS.requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured.captured_queries))
    walls.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(walls), 1),
        "p95_ms": round(walls[max(0, math.ceil(0.95 * len(walls)) - 1)], 1),
        "queries": max(queries),
    }


def main():
    rng = random.Random(SEED)
    generated_s = None
    if ARGS.regenerate or not data_ready():
        wipe()
        generated_s = round(generate(rng), 1)
    staff = User.objects.filter(email=f"staff@{EMAIL_DOMAIN}").first() or StaffFactory(email=f"staff@{EMAIL_DOMAIN}")
    pages = {
        "report, last 12 months": "/admin/impact/",
        "report, a quarter, one school type": (
            "/admin/impact/?since=2026-07-01&until=2026-09-30&school_type=community_college"
        ),
        "figures CSV, last 12 months": "/admin/impact/figures.csv",
    }
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        client = sign_in(Client(), staff)
        results = {name: measure(client, url) for name, url in pages.items()}
    counts = {
        "students": User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}", role=Role.STUDENT).count(),
        "projects": Project.objects.filter(business__website_domain__endswith=f".{EMAIL_DOMAIN}").count(),
        "applications": Application.objects.filter(
            project__business__website_domain__endswith=f".{EMAIL_DOMAIN}"
        ).count(),
        "engagements": Engagement.objects.filter(business__website_domain__endswith=f".{EMAIL_DOMAIN}").count(),
    }
    print(f"Data: {counts}" + (f", generated in {generated_s} s" if generated_s else " (reused)"))
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, figures in results.items():
        print(f"{name:40} {figures['median_ms']:>10} {figures['p95_ms']:>8} {figures['queries']:>8}")
    targets = {
        "queries_at_most_20": all(figures["queries"] <= TARGET_QUERIES for figures in results.values()),
        "p95_at_most_300ms": all(figures["p95_ms"] <= TARGET_P95_MS for figures in results.values()),
    }
    print(
        json.dumps({"bench": "impact", "database": DATABASE_NAME, "data": counts, "pages": results, "targets": targets})
    )


if __name__ == "__main__":
    main()

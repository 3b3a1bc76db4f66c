"""Benchmark of browse, search and the project page on 10,000 published projects.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/c2c .venv/bin/python bench/browse.py

Loads the bench data once (businesses "Bench Org N" with website benchN.example, their projects) and reuses it on
later runs (--reload starts again, --remove deletes it). Then requests each page through django.test.Client and
reports wall time, SQL query count and time spent in the database. Ends with one JSON line holding every figure.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
import warnings
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2c.settings")

import django

django.setup()
# WhiteNoise warns that `collectstatic` hasn't run; the bench serves no static files.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from businesses.enums import BusinessStatus, Industry, OrganisationSize, OrganisationType  # noqa: E402
from businesses.models import Business  # noqa: E402
from c2c.page_cache import catalogue_changed  # noqa: E402
from c2c.progress import progress_bar  # noqa: E402
from catalogue.models import Interest, Skill  # noqa: E402
from projects.enums import Category, LocationMode, ProjectStatus  # noqa: E402
from projects.models import Deliverable, Project  # noqa: E402

TARGET_QUERIES, TARGET_P95_MS, TARGET_SEARCH_DB_MS = 12, 100, 50
BENCH_PREFIX = "Bench Org "
BENCH_USER = "bench-student@bench.example"
BATCH = 1000

ACTIVITIES = [
    ("Social media campaign", Category.MARKETING),
    ("Email marketing sequence", Category.MARKETING),
    ("Newsletter series", Category.MARKETING),
    ("SEO audit", Category.MARKETING),
    ("Donor database clean-up", Category.DATA),
    ("Customer survey analysis", Category.DATA),
    ("Sales dashboard", Category.DATA),
    ("Inventory spreadsheet", Category.DATA),
    ("Website refresh", Category.WEB),
    ("Online store set-up", Category.WEB),
    ("Booking form", Category.WEB),
    ("Quarterly reconciliation", Category.FINANCE),
    ("Bookkeeping catch-up", Category.FINANCE),
    ("Pricing analysis", Category.FINANCE),
    ("Grant research", Category.RESEARCH),
    ("Competitor analysis", Category.RESEARCH),
    ("Market research", Category.RESEARCH),
    ("Fundraising gala planning", Category.EVENTS),
    ("Volunteer onboarding guide", Category.EVENTS),
    ("Neighbourhood festival logistics", Category.EVENTS),
    ("Brand style guide", Category.DESIGN),
    ("Annual report design", Category.DESIGN),
    ("Video storytelling", Category.DESIGN),
    ("Process documentation", Category.OPERATIONS),
    ("Scheduling system", Category.OPERATIONS),
]
CLIENTS = [
    "a neighbourhood bakery",
    "a youth sports league",
    "a food pantry",
    "a family-run hardware store",
    "an animal shelter",
    "a bike repair co-op",
    "a literacy nonprofit",
    "a farmers' market",
    "a dental practice",
    "a community theatre",
    "a refugee resettlement agency",
    "a coffee roaster",
    "a tenants' union",
    "a landscaping company",
    "an after-school programme",
    "a credit union",
    "a thrift shop",
    "a yoga studio",
    "a local newspaper",
    "a makerspace",
]
ORG_KINDS = ["Bakery", "Pantry", "Studio", "Co-op", "Collective", "Works", "Alliance", "Market", "Press", "Trust"]
SENTENCES = [
    "You will work directly with the owner, who will meet you once a week.",
    "We will share our current tools and data on day one.",
    "Expect clear feedback on each deliverable within two working days.",
    "The work is self-paced within the week, so it fits around classes and a job.",
    "We care about clear writing and about explaining your choices.",
    "There is a short hand-over at the end so the work keeps being used.",
    "Our customers are mostly local families and small businesses.",
    "You will present your results in a short video call.",
]
COMMON = "Everything we do serves our local community, and this project helps us reach more of it."
PLACES = [("Dayton", "OH"), ("Columbus", "OH"), ("Detroit", "MI"), ("Fresno", "CA"), ("Tucson", "AZ"), ("Albany", "NY")]


def bench_projects():
    return Project.objects.filter(
        business__name__startswith=BENCH_PREFIX, business__website_domain__endswith=".example"
    )


def load(projects: int, businesses: int, rng: random.Random):
    existing = bench_projects().filter(status=ProjectStatus.PUBLISHED).count()
    if existing == projects and not bench_projects().filter(search_vector__isnull=True).exists():
        print(f"Reusing {existing:,} bench projects (pass --reload to rebuild them).")
        return
    print(f"Loading {projects:,} projects from {businesses:,} businesses into {connection.vendor}…")
    Business.objects.filter(name__startswith=BENCH_PREFIX, website_domain__endswith=".example").delete()
    skills = list(Skill.objects.values_list("pk", "name"))
    interests = list(Interest.objects.values_list("pk", flat=True))
    if not skills:
        sys.exit("No skills found: run `manage.py migrate` first (it loads the catalogue).")
    places = [rng.choice(PLACES) for _ in range(businesses)]
    orgs = Business.objects.bulk_create(
        Business(
            name=f"{BENCH_PREFIX}{n} {rng.choice(ORG_KINDS)}",
            org_type=rng.choice(OrganisationType.values),
            industry=rng.choice(Industry.values),
            size=rng.choice(OrganisationSize.values),
            website=f"https://bench{n}.example",
            website_domain=f"bench{n}.example",
            city=places[n][0],
            state=places[n][1],
            description="A bench organisation that serves its community.",
            contact_name=f"Bench Contact {n}",
            contact_email=f"contact@bench{n}.example",
            agreed_to_pay_students=True,
            agreed_to_terms=True,
            status=BusinessStatus.APPROVED,
        )
        for n in range(businesses)
    )
    now, today = timezone.now(), timezone.localdate()
    required_through = Project.required_skills.through
    nice_through = Project.nice_to_have_skills.through
    interest_through = Project.interests.through
    bar = progress_bar(total=projects, desc="projects", unit="project")
    for start in range(0, projects, BATCH):
        batch, links = [], []
        for _ in range(min(BATCH, projects - start)):
            org = rng.choice(orgs)
            activity, category = rng.choice(ACTIVITIES)
            whom = rng.choice(CLIENTS)
            weeks, hours = rng.randint(2, 8), rng.choice([4, 5, 6, 8, 10, 12, 15, 20])
            fee = Decimal(math.ceil(weeks * hours * rng.uniform(15, 40) / 10) * 10)
            mode = rng.choices(LocationMode.values, weights=[6, 3, 2])[0]
            city, state = rng.choice(PLACES) if mode != LocationMode.REMOTE else ("", "")
            picked = rng.sample(skills, rng.randint(2, 6))
            required, nice = picked[: rng.randint(1, 3)], picked[3:]
            apply_by = today + timedelta(days=rng.randint(3, 60))
            title = f"{activity} for {whom}"
            summary = f"Help {whom} with a {weeks}-week {activity.lower()} project."
            description = " ".join(rng.sample(SENTENCES, 3) + ([COMMON] if rng.random() < 0.85 else []))
            skill_names = " ".join(name for _, name in picked)
            batch.append(
                Project(
                    business=org,
                    title=title,
                    summary=summary,
                    description=description,
                    category=category,
                    duration_weeks=weeks,
                    hours_per_week=hours,
                    earliest_start=apply_by + timedelta(days=rng.randint(0, 21)),
                    apply_by=apply_by,
                    location_mode=mode,
                    city=city,
                    state=state,
                    fee=fee,
                    openings=rng.choice([1, 1, 1, 2, 3]),
                    screening_questions=["Why this project?"] if rng.random() < 0.5 else [],
                    status=ProjectStatus.PUBLISHED,
                    published_at=now - timedelta(minutes=rng.randint(0, 90 * 24 * 60)),
                    search_document=" ".join([title, summary, description, skill_names, org.name]),
                )
            )
            links.append((required, nice, rng.sample(interests, min(len(interests), rng.randint(1, 2)))))
        with transaction.atomic():
            created = Project.objects.bulk_create(batch)
            required_through.objects.bulk_create(
                required_through(project_id=p.pk, skill_id=pk)
                for p, (req, _, _) in zip(created, links, strict=True)
                for pk, _ in req
            )
            nice_through.objects.bulk_create(
                nice_through(project_id=p.pk, skill_id=pk)
                for p, (_, nice, _) in zip(created, links, strict=True)
                for pk, _ in nice
            )
            interest_through.objects.bulk_create(
                interest_through(project_id=p.pk, interest_id=pk)
                for p, (_, _, ints) in zip(created, links, strict=True)
                for pk in ints
            )
            Deliverable.objects.bulk_create(
                Deliverable(project=p, position=i, title=title)
                for p in created
                for i, title in enumerate(["Kick-off notes and plan", "First draft for feedback", "Final hand-over"])
            )
        bar.update(len(batch))
    bar.close()
    if connection.vendor == "postgresql":
        fill_search_vectors()


def fill_search_vectors():
    """The same weighted vector as services.refresh_search_document, for every bench row in one statement."""
    started = time.perf_counter()
    project, business = Project._meta.db_table, Business._meta.db_table
    required, nice = Project.required_skills.through._meta.db_table, Project.nice_to_have_skills.through._meta.db_table
    skill = Skill._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {project} p SET search_vector =
                setweight(to_tsvector('english', p.title), 'A')
                || setweight(to_tsvector('english', coalesce((
                    SELECT string_agg(s.name, ' ') FROM {skill} s WHERE s.id IN (
                        SELECT skill_id FROM {required} WHERE project_id = p.id
                        UNION SELECT skill_id FROM {nice} WHERE project_id = p.id)
                ), '') || ' ' || b.name), 'B')
                || setweight(to_tsvector('english', p.summary), 'B')
                || setweight(to_tsvector('english', p.description), 'C')
            FROM {business} b
            WHERE b.id = p.business_id AND b.name LIKE %s AND b.website_domain LIKE %s
            """,
            [f"{BENCH_PREFIX}%", "%.example"],
        )
        updated = cursor.rowcount
        # What autovacuum would soon do on a live database: planner statistics and the visibility map.
        for table in [project, business, required, nice, Deliverable._meta.db_table]:
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"  search vectors         {updated:,} rows in {time.perf_counter() - started:.1f} s")


class DatabaseTimer:
    """Counts and times every SQL statement the request runs."""

    def __init__(self):
        self.queries, self.seconds, self.slowest = 0, 0.0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.queries += 1
            self.seconds += elapsed
            self.slowest = max(self.slowest, elapsed)


@contextmanager
def timed_database():
    timer = DatabaseTimer()
    with connection.execute_wrapper(timer):
        yield timer


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(client, url, requests):
    for _ in range(3):  # Warm caches, templates and connections.
        assert client.get(url).status_code == 200, url
    walls, db, slowest, counts = [], [], [], set()
    for _ in range(requests):
        # Each page built for its first reader, cards and all: kept pages (c2c.page_cache) would time the cache.
        catalogue_changed()
        with timed_database() as timer:
            started = time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        db.append(timer.seconds * 1000)
        slowest.append(timer.slowest * 1000)
        counts.add(timer.queries)
    return {
        "url": url,
        "median_ms": round(statistics.median(walls), 1),
        "p95_ms": round(percentile(walls, 0.95), 1),
        "queries": max(counts),
        "db_median_ms": round(statistics.median(db), 1),
        "db_p95_ms": round(percentile(db, 0.95), 1),
        "slowest_query_p95_ms": round(percentile(slowest, 0.95), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--businesses", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--reload", action="store_true", help="delete and reload the bench data")
    parser.add_argument("--remove", action="store_true", help="delete the bench data and exit")
    args = parser.parse_args()
    if args.reload or args.remove:
        Business.objects.filter(name__startswith=BENCH_PREFIX, website_domain__endswith=".example").delete()
        User.objects.filter(email=BENCH_USER).delete()
    if args.remove:
        print("Removed the bench data.")
        return
    load(args.projects, args.businesses, random.Random(20261122))

    student, _ = User.objects.get_or_create(email=BENCH_USER, defaults={"full_name": "Bench Student"})
    if student.role != Role.STUDENT:
        sys.exit(f"{BENCH_USER} exists and is not a student account.")
    project_id = bench_projects().order_by("-published_at").values_list("pk", flat=True).first()
    category_count = bench_projects().filter(category=Category.MARKETING).count()
    pages = [
        ("browse", "/projects/", False),
        ("browse, signed in", "/projects/", True),
        ("browse, page 40", "/projects/?page=40", False),
        ("search, 1 word", "/projects/?q=bookkeeping", False),
        ("search, 2 words", "/projects/?q=donor+database", False),
        ("search, 3 words", "/projects/?q=social+media+campaign", False),
        ("search, common word", "/projects/?q=community", True),
        ("3 filters", "/projects/?category=marketing&max_hours=10&location_mode=remote", False),
        ("search + 3 filters", "/projects/?q=community&category=marketing&max_hours=10&sort=pay", False),
        ("project page", f"/projects/{project_id}/", True),
    ]
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(student)
    results = {}
    print(f"\nTiming {args.requests} requests per page on {connection.vendor} ({category_count:,} marketing projects)")
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], DEBUG=False):
        for name, url, logged_in in pages:
            results[name] = measure(signed_in if logged_in else anonymous, url, args.requests)
            print(f"  {name:<22} done", flush=True)

    print(f"\n{'page':<22} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'DB med ms':>10} {'DB p95 ms':>10}")
    for name, row in results.items():
        print(
            f"{name:<22} {row['median_ms']:>10} {row['p95_ms']:>8} {row['queries']:>8} "
            f"{row['db_median_ms']:>10} {row['db_p95_ms']:>10}"
        )
    searches = [row for name, row in results.items() if name.startswith("search")]
    checks = {
        "queries_at_most_12": all(row["queries"] <= TARGET_QUERIES for row in results.values()),
        "p95_at_most_100ms": all(row["p95_ms"] <= TARGET_P95_MS for row in results.values()),
        "search_db_p95_at_most_50ms": all(row["db_p95_ms"] <= TARGET_SEARCH_DB_MS for row in searches),
    }
    print("\nTargets: " + ", ".join(f"{name} {'yes' if met else 'NO'}" for name, met in checks.items()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    summary = {
        "bench": "browse",
        "database": version,
        "projects": bench_projects().count(),
        "requests_per_page": args.requests,
        "pages": results,
        "targets": checks,
    }
    print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    main()

"""Load benchmark: the site under gunicorn, driven by wrk, each page's throughput as a share of a trivial view's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/c2c .venv/bin/python bench/load.py   (or `make bench-load`)

Uses its own database, `<name>_load` next to the one DATABASE_URL names (created and migrated if missing),
loaded once with bench/browse.py's 10,000 published projects from 1,000 businesses, plus a student with a
finished profile whose matches the worker's own refresh computes, a few applications, and a business owner
with applicants; business records are kept and the table vacuumed, as the hourly task and autovacuum keep
them in production. Then starts gunicorn exactly as the Procfile's `web` line does, with production
settings (DEBUG off, the Redis cache), on a free port, and drives it from wrk on 127.0.0.1 (Debian's `wrk`
package): 8 and then 32 connections for --duration seconds each, per page. Signed-in pages send the session
cookie and the CSRF cookie the site gave that browser, as a browser does. Every page's requests a second are
also given as a share of the trivial view's (`/robots.txt`, through the full middleware) measured in the same
run, since absolute figures depend on the machine. The "mix" runs rotate over 1,200 distinct anonymous URLs
(searches, filter combinations and project pages across all 10,000 projects), each run starting with no
catalogue page kept; past the first round of them a request may come from a kept page, and the report gives
the most that share could be (`repeat_share_at_most`). The "first readers" runs rotate over 12,000 URLs, more
than a run asks for, so nearly every page is built for its reader: reported, outside the targets. Ends with
one JSON line holding every figure and whether each target is met.
"""

import argparse
import http.client
import io
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.own_database import use_own_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2c.settings")
os.environ.setdefault("DEBUG", "true")  # the loading side; gunicorn gets production settings below
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")  # gunicorn's cache, which this side empties
# The sessions this process signs in are checked by gunicorn's processes: they must share the key.
SECRET_KEY = "bench-load-" + "k" * 50
os.environ["SECRET_KEY"] = SECRET_KEY

TARGETS = {"anonymous_one_url_share": 0.40, "mix_share": 0.10, "signed_in_share": 0.10, "p99_ms_at_8": 250}
MIX_URLS = 1200
# More distinct URLs than a run asks for: nearly every request is a page built for its first reader.
FIRST_READ_URLS = 12_000
URL_COUNTS = {"mix": MIX_URLS, "first_reads": FIRST_READ_URLS}  # the runs over many URLs, by kind
WRK_THREADS = 2
TRIVIAL_PATH = "/robots.txt"
CEILING_SECONDS = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--only", nargs="*", help="run only these pages (names as printed)")
    return parser.parse_args()


ARGS = parse_args()
DATABASE_NAME = use_own_database("load", "bench/load.py")
if not shutil.which("wrk"):
    sys.exit("bench/load.py needs wrk (apt-get install wrk).")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("ensure_database", stdout=io.StringIO())
call_command("migrate", interactive=False, verbosity=0)

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from bench.browse import BENCH_USER, bench_projects, load  # noqa: E402
from businesses.models import Membership  # noqa: E402
from c2c.page_cache import catalogue_changed  # noqa: E402
from catalogue.models import Interest, Skill  # noqa: E402
from matching.services import refresh_student  # noqa: E402
from projects.enums import ApplicationStatus, Category  # noqa: E402
from projects.models import Application, Project  # noqa: E402
from reports.records import record_for  # noqa: E402
from students.enums import LocationPreference, SchoolType, SkillLevel  # noqa: E402
from students.models import AvailabilityWindow, StudentProfile, StudentSkill  # noqa: E402

OWNER = "bench-owner@bench.example"
SEARCH_WORDS = [
    "community", "bookkeeping", "social media", "donor database", "newsletter", "survey", "dashboard",
    "inventory", "website", "events", "grant", "photography", "campaign", "spreadsheet", "research",
    "volunteers", "menu", "instagram", "budget", "branding",
]  # fmt: skip


def prepare() -> dict:
    """The data the pages read, and the ids the URLs need."""
    load(10_000, 1_000, random.Random(20261122))
    for business_id in bench_projects().values_list("business_id", flat=True).distinct():
        record_for(business_id)  # kept, as the worker's hourly task keeps them in production
    with connection.cursor() as cursor:  # as autovacuum soon would after a bulk load: index-only scans need it
        cursor.execute(f"VACUUM ANALYZE {Project._meta.db_table}")
    projects = list(bench_projects().order_by("pk").values_list("pk", flat=True))
    student, _ = User.objects.get_or_create(email=BENCH_USER, defaults={"full_name": "Bench Student"})
    profile, created = StudentProfile.objects.get_or_create(
        user=student,
        defaults={
            "school": "Sinclair Community College",
            "school_type": SchoolType.COMMUNITY_COLLEGE,
            "hours_per_week": 15,
            "location_preference": LocationPreference.REMOTE,
            "onboarding_completed_at": timezone.now(),
        },
    )
    if created:
        StudentSkill.objects.bulk_create(
            StudentSkill(profile=profile, skill=skill, level=SkillLevel.INTERMEDIATE)
            for skill in Skill.objects.order_by("pk")[:8]
        )
        profile.interests.set(Interest.objects.order_by("pk")[:4])
        today = timezone.localdate()
        AvailabilityWindow.objects.create(profile=profile, starts_on=today, ends_on=today.replace(year=today.year + 1))
        refresh_student(profile.pk)
        Application.objects.bulk_create(
            Application(project_id=pk, student=student, cover_note="Bench", status_changed_at=timezone.now())
            for pk in projects[:10]
        )
    owner_project = bench_projects().order_by("pk").first()
    owner, created = User.objects.get_or_create(
        email=OWNER, defaults={"full_name": "Bench Owner", "role": Role.BUSINESS}
    )
    if created:
        Membership.objects.create(user=owner, business=owner_project.business)
        applicants = User.objects.bulk_create(
            User(email=f"applicant{n}@bench.example", full_name=f"Applicant {n}", password="!") for n in range(30)
        )
        StudentProfile.objects.bulk_create(
            StudentProfile(user=user, school="Bench College", onboarding_completed_at=timezone.now())
            for user in applicants
        )
        Application.objects.bulk_create(
            Application(project=owner_project, student=user, cover_note="Bench", status_changed_at=timezone.now())
            for user in applicants
        )
    return {
        "projects": projects,
        "project": projects[len(projects) // 2],
        "owner_project": owner_project.pk,
        "student": session_cookie(student),
        "owner": session_cookie(owner),
        "status": ApplicationStatus.SUBMITTED,
    }


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def mix_paths(projects: list[int], rng: random.Random, count: int) -> list[str]:
    """`count` distinct anonymous URLs: a third searches and filter combinations, the rest project pages."""
    paths = set()
    while len(paths) < count // 3:
        query = [f"q={rng.choice(SEARCH_WORDS).replace(' ', '+')}"] if rng.random() < 0.7 else []
        if rng.random() < 0.6:
            query.append(f"category={rng.choice(Category.values)}")
        if rng.random() < 0.5:
            query.append(f"max_hours={rng.choice([5, 10, 15, 20])}")
        if rng.random() < 0.3:
            query.append(f"page={rng.randint(2, 9)}")
        paths.add("/projects/?" + "&".join(query) if query else "/projects/")
    while len(paths) < count:
        paths.add(f"/projects/{rng.choice(projects)}/")
    return sorted(paths)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(port: int) -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }


def procfile_web_command() -> str:
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    return line.partition(":")[2].strip()


def start_gunicorn(env: dict) -> subprocess.Popen:
    call = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(call, cwd=ROOT, env=env, check=True)
    bin_dir = str(Path(sys.executable).parent)
    server = subprocess.Popen(
        ["sh", "-c", procfile_web_command()],
        cwd=ROOT,
        env={**env, "PATH": f"{bin_dir}:{env.get('PATH', '')}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{env['PORT']}/robots.txt", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not answer within 30 seconds.")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def get(base: str, path: str, cookie: str | None) -> http.client.HTTPResponse:
    """One GET, read in full, with `cookie` as the Cookie header."""
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def as_a_browser(base: str, cookie: str) -> str:
    """The session cookie plus the CSRF cookie the site gives with its first page, as a browser would send."""
    jar = SimpleCookie()
    for header in get(base, "/", cookie).headers.get_all("Set-Cookie") or []:
        jar.load(header)
    csrf = jar.get(settings.CSRF_COOKIE_NAME)
    return f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf.value}" if csrf else cookie


def check_answers(base: str, path: str, cookie: str | None) -> None:
    """A page answers 200 itself: wrk counts redirects (to the login page, say) as successes."""
    status = get(base, path, cookie).status
    if status != 200:
        raise SystemExit(f"{path} answered {status}, not 200: the figures would measure something else.")


def run_wrk(base: str, path: str, connections: int, cookie: str | None, paths_file: str | None, duration: int) -> dict:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "load.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    env = {**os.environ, "PATHS_FILE": paths_file or "", "WRK_THREADS": str(WRK_THREADS)}
    output = subprocess.run([*command, base + path], capture_output=True, text=True, env=env, check=True).stdout
    figures = json.loads(next(line for line in output.splitlines() if line.startswith("JSON "))[5:])
    figures["req_per_s"] = round(figures["requests"] / figures["seconds"], 1)
    figures["errors"] = figures.pop("non_2xx_3xx") + figures.pop("socket_errors")
    for key in ("p50_ms", "p95_ms", "p99_ms"):
        figures[key] = round(figures[key], 1)
    return figures


def main():
    ids = prepare()
    pages = [
        ("trivial view", TRIVIAL_PATH, None, "trivial"),
        ("home", "/", None, "anonymous"),
        ("browse", "/projects/", None, "anonymous"),
        ("search", "/projects/?q=bookkeeping", None, "anonymous"),
        ("search + 3 filters", "/projects/?q=community&category=marketing&max_hours=10&location_mode=remote", None,
         "anonymous"),
        ("project page", f"/projects/{ids['project']}/", None, "anonymous"),
        ("mix of 1,200 URLs", "/projects/", None, "mix"),
        ("first readers: 12,000 URLs", "/projects/", None, "first_reads"),
        ("student: home", "/", "student", "signed_in"),
        ("student: browse", "/projects/", "student", "signed_in"),
        ("student: best match", "/projects/?sort=match", "student", "signed_in"),
        ("student: my applications", "/projects/applications/", "student", "signed_in"),
        ("owner: dashboard", "/businesses/dashboard/", "owner", "signed_in"),
        ("owner: applicants", f"/businesses/projects/{ids['owner_project']}/applicants/", "owner", "signed_in"),
    ]  # fmt: skip
    if ARGS.only:
        pages = [page for page in pages if page[0] in ARGS.only or page[3] == "trivial"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    path_files = {}
    for kind, count in URL_COUNTS.items():
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
            listing.write("\n".join(mix_paths(ids["projects"], random.Random(20261203), count)))
        path_files[kind] = listing.name
    server = start_gunicorn(production_env(port))
    results: dict[str, dict] = {}
    try:
        for who in ("student", "owner"):
            ids[who] = as_a_browser(base, ids[who])
        for name, path, who, kind in pages:
            cookie = ids[who] if who else None
            check_answers(base, path, cookie)
            runs = {}
            for connections in ARGS.connections:
                # The ceiling measured just before each page, so a machine that slows down or speeds up during
                # the run (other tenants, CPU boost) moves both figures of a share alike.
                ceiling = None
                if kind != "trivial":
                    ceiling = run_wrk(base, TRIVIAL_PATH, connections, None, None, CEILING_SECONDS)["req_per_s"]
                if kind in path_files:
                    catalogue_changed()  # each run over many URLs starts with no catalogue page kept
                run = run_wrk(base, path, connections, cookie, path_files.get(kind), ARGS.duration)
                if kind in path_files:
                    # Requests past the first round of distinct URLs may be served from kept pages.
                    run["repeat_share_at_most"] = round(max(0.0, 1 - URL_COUNTS[kind] / run["requests"]), 3)
                runs[str(connections)] = {**run, "ceiling_req_per_s": ceiling or run["req_per_s"]}
            results[name] = {"path": path, "kind": kind, "runs": runs}
            print(f"  {name:<28} done", flush=True)
    finally:
        stop(server)
        for name in path_files.values():
            os.unlink(name)
    report(results)


def report(results: dict) -> None:
    print(
        f"\n{'page':<28} {'conns':>5} {'req/s':>9} {'ceiling':>9} {'share':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    for name, page in results.items():
        for connections, run in page["runs"].items():
            run["share"] = round(run["req_per_s"] / run["ceiling_req_per_s"], 4)
            print(
                f"{name:<28} {connections:>5} {run['req_per_s']:>9} {run['ceiling_req_per_s']:>9} {run['share']:>7.1%} "
                f"{run['p50_ms']:>8} {run['p95_ms']:>8} {run['p99_ms']:>8} {run['errors']:>7}"
            )

    def shares(kind: str) -> list[float]:
        return [run["share"] for page in results.values() if page["kind"] == kind for run in page["runs"].values()]

    # The first-reader run shows what building pages costs; the targets are the list of pages.
    targeted = [page for page in results.values() if page["kind"] != "first_reads"]
    at_8 = [page["runs"]["8"]["p99_ms"] for page in targeted if "8" in page["runs"]]
    at_32 = [page["runs"]["32"]["errors"] for page in results.values() if "32" in page["runs"]]
    targets = {
        "anonymous_one_url_at_least_40_percent": min(shares("anonymous"), default=0)
        >= TARGETS["anonymous_one_url_share"],
        "mix_at_least_10_percent": min(shares("mix"), default=0) >= TARGETS["mix_share"],
        "signed_in_at_least_10_percent": min(shares("signed_in"), default=0) >= TARGETS["signed_in_share"],
        "p99_at_most_250ms_at_8_connections": max(at_8, default=0) <= TARGETS["p99_ms_at_8"],
        "no_errors_at_32_connections": sum(at_32) == 0,
    }
    print("\nTargets: " + ", ".join(f"{name} {'yes' if met else 'NO'}" for name, met in targets.items()))
    summary = {
        "bench": "load",
        "database": DATABASE_NAME,
        "duration_s": ARGS.duration,
        "pages": results,
        "targets": targets,
    }
    print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    main()

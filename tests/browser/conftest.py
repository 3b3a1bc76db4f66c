"""What the browser tests share: one Chromium, a real Celery worker, one browser context per person, and the
checks run on every page (axe-core, the HTML the Nu checker reads, console errors, screenshots on failure)."""

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from catalogue.models import Interest, Skill
from projects.catalogue import load_catalogue
from projects.models import ProjectTemplate
from tests.browser.pages import COLLECTED_HTML, VIEWPORTS
from tests.factories import client_for
from tests.processes import (
    publishing_to,
    reachable,
    redis_url_for_group,
    running_worker,
    skip_or_fail,
    wait_until_worker_idle,
)

BASE_DIR = Path(settings.BASE_DIR)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = BASE_DIR / "test-artifacts"

REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # The HTML check reads what the other browser tests collected, so it runs after all of them.
    checks = [item for item in items if item.get_closest_marker("after_browser_tests")]
    for item in checks:
        items.remove(item)
    items.extend(checks)


def pytest_configure(config):
    config.addinivalue_line("markers", "after_browser_tests: runs once every other browser test has run")


@pytest.fixture(scope="package")
def browser():
    if not shutil.which(CHROMIUM):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still synchronous.
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def browser_worker(django_db_setup, live_server, tmp_path_factory):
    """One worker for all the browser tests: starting one per test would cost seconds each."""
    url = redis_url_for_group("browser")
    if not reachable(url):
        skip_or_fail(f"Redis is not reachable at {url}")
    import redis

    redis.Redis.from_url(url).flushdb()
    workdir = tmp_path_factory.mktemp("browser-worker")
    # Emails the worker sends link to the running site, as they would under `make run`; the cache is shared
    # with the site, as in production (matching coalesces refreshes through it).
    with running_worker(url, workdir, SITE_URL=live_server.url, REDIS_URL=url) as worker:
        yield worker | {"broker_url": url}
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def site(live_server, browser_worker, _isolated_services, transactional_db, settings):
    """The live site with its worker: tasks go to the worker, links in emails point at the live server."""
    settings.SITE_URL = live_server.url
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    settings.C2C_MATCH_COALESCE_SECONDS = 0.5
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": browser_worker["broker_url"],
            "KEY_PREFIX": "c2c",
        }
    }
    cache.clear()  # Also drops tasks a previous test left queued: their rows are gone.
    # A transactional test starts from empty tables: put back the catalogue the migrations ship.
    load_catalogue(Skill, Interest, ProjectTemplate)
    with publishing_to(browser_worker["broker_url"]):
        yield live_server
        wait_until_worker_idle(browser_worker["broker_url"])


def _keep_html(response):
    if response.request.resource_type != "document" or response.status != 200:
        return
    if "text/html" not in response.headers.get("content-type", ""):
        return
    html = response.text()
    COLLECTED_HTML.setdefault(hashlib.sha256(html.encode()).hexdigest(), (response.url, html))


def _session_cookie(user, url: str) -> dict:
    client = client_for(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


@pytest.fixture
def person(browser, site, request):
    """`person(name, viewport=..., user=...)` opens a browser context for one person; `user` starts signed in.

    Every page counts its page loads (`page.loads`) and collects console errors (`page.problems`). If the
    test fails, each person's screenshot and HTML are saved under test-artifacts/.
    """
    opened = []

    def open_page(name: str, *, viewport: str = "desktop", user=None):
        context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=site.url)
        if user is not None:
            context.add_cookies([_session_cookie(user, site.url)])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.person = name
        page.width = VIEWPORTS[viewport]["width"]
        page.loads = 0
        page.problems = []
        page.on("load", lambda _: setattr(page, "loads", page.loads + 1))
        page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
        page.on("response", _keep_html)
        opened.append(page)
        return page

    yield open_page
    reports = request.node.stash.get(REPORTS, {})
    failed = any(report.failed for report in reports.values())
    for page in opened:
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            stem = ARTIFACTS / re.sub(r"[^\w.-]+", "-", f"{request.node.name}-{page.person}")
            try:
                page.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(f"<!-- {page.url} -->\n{page.content()}")
            except Exception as error:  # A crashed page must not hide the test's own failure.
                Path(f"{stem}.txt").write_text(f"{page.url}: {error}")
        page.context.close()
    if not failed:
        problems = {page.person: page.problems for page in opened if page.problems}
        assert not problems, f"JavaScript errors in the browser console: {problems}"

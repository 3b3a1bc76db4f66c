"""What the browser tests share: one Chromium, a real Celery worker, one browser context per person, and the
checks run on every page (axe-core, the HTML the Nu checker reads, console errors, screenshots on failure)."""

import hashlib
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from catalogue.models import Interest, Skill
from projects.catalogue import load_catalogue
from projects.models import ProjectTemplate
from tests.broker.conftest import publishing_to, running_worker
from tests.conftest import _reachable, redis_url_for_group, skip_or_fail
from tests.factories import PASSWORD, client_for, totp_code

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
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
ARTIFACTS = BASE_DIR / "test-artifacts"
# Installed by `make test` (npm ci, from package-lock.json); never served to users.
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# Every distinct HTML document the browser received, by content hash: (url, html). test_valid_html checks them.
COLLECTED_HTML: dict[str, tuple[str, str]] = {}
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
    if not _reachable(url):
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


def log_in_staff(page, user, password: str = PASSWORD):
    """Staff sign in through the site's login form, then land in admin.

    Every staff browser session goes through here: it is the one place a second sign-in step belongs.
    """
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    if time.time() % 30 > 26:  # Don't let the code's 30-second step turn between reading and sending it.
        time.sleep(5)
    page.locator("input[name=code]").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/admin/")


def open_menu_if_collapsed(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#nav-main.show").wait_for()


def assert_fits(page):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.width, f"{page.url} scrolls sideways at {page.width}px ({scroll_width}px wide)"


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now, one line each."""
    if not AXE_JS.exists():
        skip_or_fail(f"axe-core is missing at {AXE_JS}: `make test` installs it with npm")
    # evaluate() runs outside the page's Content-Security-Policy, so axe needs no inline script.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text())
    # axe writes style attributes while it measures (on admin change forms); the page's policy refuses them
    # and Chromium logs that as an error. Those are the test tool's writes, not the site's: drop them.
    problems_before = len(page.problems)
    violations = page.evaluate(
        """async (impacts) => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.filter((v) => impacts.includes(v.impact)).map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map((node) => `${node.target.join(" ")} ${node.html.slice(0, 90)}`),
            }));
        }""",
        list(BLOCKING_IMPACTS),
    )
    page.problems[problems_before:] = [
        problem for problem in page.problems[problems_before:] if "Applying inline style violates" not in problem
    ]
    return [
        f"{page.url} at {page.viewport_size['width']}px: {v['impact']} {v['id']} ({v['help']}) on {v['targets']}"
        for v in violations
    ]

"""Sign-up and login in real headless Chromium (Debian's package), at desktop and phone widths."""

import os
import re
import shutil

import pytest
from django.core import mail

from tests.conftest import skip_or_fail
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still synchronous.
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.problems = problems
    page.width = VIEWPORTS[request.param]["width"]
    yield page
    context.close()


def assert_fits(page):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.width, f"{page.url} scrolls sideways at {page.width}px"


def open_menu_if_collapsed(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()


def test_sign_up_confirm_log_out_and_log_in(live_server, page, settings):
    settings.SITE_URL = live_server.url
    email = f"student-{page.width}@example.org"

    page.goto(f"{live_server.url}/")
    assert_fits(page)
    open_menu_if_collapsed(page)
    page.get_by_role("link", name="Sign up", exact=True).click()
    page.get_by_label("Your name").fill("Ana Lopez")
    page.locator("input[name=email]").fill(email)
    page.get_by_label("I'm a student").check()
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    assert_fits(page)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert page.locator("h1").inner_text().strip() == "Verify Your Email Address"

    link = re.search(r"(http://\S+/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    # A new student lands on the first step of their profile.
    page.wait_for_url(re.compile(r"/students/profile/setup/"))
    assert page.locator("h1").count() == 1
    assert_fits(page)

    open_menu_if_collapsed(page)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    if page.get_by_role("button", name="Sign Out").count():
        page.get_by_role("button", name="Sign Out").click()
    open_menu_if_collapsed(page)
    page.get_by_role("link", name="Log in", exact=True).click()
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # The profile is still unfinished, so logging in resumes it.
    page.wait_for_url(re.compile(r"/students/profile/setup/"))
    open_menu_if_collapsed(page)
    assert page.get_by_role("button", name="Log out").is_visible()
    assert_fits(page)
    assert page.problems == []

"""Real headless Chromium (Debian's package), at desktop and phone widths: sign-up and login, the admin, the
profile and two-factor set-up. Any console error, CSP violations included, fails a test."""

import os
import re
import shutil
import time

import pytest
from django.conf import settings as django_settings
from django.core import mail

from tests.conftest import skip_or_fail
from tests.factories import PASSWORD, BusinessFactory, StaffFactory, client_for, totp_code
from tests.students.factories import StudentProfileFactory

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


def sign_in_browser(page, live_server, user):
    """Give the browser the session of a signed-in test client (for staff, one that has given a code)."""
    session = client_for(user).cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_the_admin_works_under_the_content_security_policy(live_server, page):
    BusinessFactory(name="Sunrise Bakery", status="pending")
    sign_in_browser(page, live_server, StaffFactory())

    page.goto(f"{live_server.url}/admin/")
    assert page.get_by_role("heading", name="Moderation").is_visible()
    page.goto(f"{live_server.url}/admin/businesses/business/")
    # The admin's own scripts run: ticking a row updates the selection counter.
    page.locator("input.action-select").first.check()
    assert "1 of 1 selected" in page.locator(".action-counter").inner_text()
    page.get_by_role("link", name="Sunrise Bakery").click()
    page.wait_for_url(re.compile(r"/admin/businesses/business/\d+/change/"))
    assert page.locator("input[name=name]").input_value() == "Sunrise Bakery"
    assert page.problems == []


def test_profile_meter_and_turning_on_two_factor_under_the_policy(live_server, page):
    profile = StudentProfileFactory(bio="", user__full_name="Ana Lopez")
    sign_in_browser(page, live_server, profile.user)

    page.goto(f"{live_server.url}/students/profile/")
    meter = page.locator("progress.meter")
    assert meter.is_visible()
    assert 0 < int(meter.get_attribute("value")) < 100
    assert_fits(page)

    open_menu_if_collapsed(page)
    page.get_by_role("link", name="Account", exact=True).click()
    page.get_by_role("link", name="Two-factor authentication").click()
    page.get_by_role("link", name="Activate").click()
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    qr_code = page.locator("img[src^='data:image/svg+xml']")
    assert page.evaluate("(image) => image.complete && image.naturalWidth > 0", qr_code.element_handle())
    assert_fits(page)
    secret = page.locator("#authenticator_secret").input_value()
    if time.time() % 30 > 26:  # Don't let the code's 30-second step turn between reading and sending it.
        time.sleep(5)
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    assert len(page.locator("#recovery_codes").input_value().split()) == 10
    assert page.get_by_role("link", name="Download codes").is_visible()
    assert_fits(page)
    assert page.problems == []

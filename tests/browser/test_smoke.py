"""Real headless Chromium (Debian's package), at desktop and phone widths: sign-up and login, the admin, the
profile and two-factor set-up. Any console error, CSP violations included, fails a test."""

import re
import time

import pytest
from django.core import mail

from tests.browser.pages import VIEWPORTS, assert_fits, open_menu_if_collapsed
from tests.factories import PASSWORD, BusinessFactory, StaffFactory, totp_code
from tests.students.factories import StudentProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=list(VIEWPORTS))
def page(request, person):
    return person(f"visitor-{request.param}", viewport=request.param)


def test_sign_up_confirm_log_out_and_log_in(page):
    email = f"student-{page.width}@example.org"

    page.goto("/")
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


def test_the_admin_works_under_the_content_security_policy(person):
    BusinessFactory(name="Sunrise Bakery", status="pending")
    page = person("staff", user=StaffFactory())

    page.goto("/admin/")
    assert page.get_by_role("heading", name="Moderation").is_visible()
    page.goto("/admin/businesses/business/")
    # The admin's own scripts run: ticking a row updates the selection counter.
    page.locator("input.action-select").first.check()
    assert "1 of 1 selected" in page.locator(".action-counter").inner_text()
    page.get_by_role("link", name="Sunrise Bakery").click()
    page.wait_for_url(re.compile(r"/admin/businesses/business/\d+/change/"))
    assert page.locator("input[name=name]").input_value() == "Sunrise Bakery"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_profile_meter_and_turning_on_two_factor_under_the_policy(person, viewport):
    profile = StudentProfileFactory(bio="", user__full_name="Ana Lopez")
    page = person("student", viewport=viewport, user=profile.user)

    page.goto("/students/profile/")
    meter = page.locator("progress.profile-meter")
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

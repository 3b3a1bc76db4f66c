"""Sign-up and login in real headless Chromium (Debian's package), at desktop and phone widths."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import VIEWPORTS, assert_fits, open_menu_if_collapsed
from tests.factories import PASSWORD

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

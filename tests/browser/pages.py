"""What browser tests do on pages, shared by the browser test modules: sizes, signing staff in, the menu, axe-core."""

import time
from pathlib import Path

from django.conf import settings

from tests.factories import PASSWORD, totp_code
from tests.processes import skip_or_fail

BASE_DIR = Path(settings.BASE_DIR)


VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


# Installed by `make test` (npm ci, from package-lock.json); never served to users.
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"


BLOCKING_IMPACTS = ("serious", "critical")


# Every distinct HTML document the browser received, by content hash: (url, html). test_valid_html checks them.
COLLECTED_HTML: dict[str, tuple[str, str]] = {}


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

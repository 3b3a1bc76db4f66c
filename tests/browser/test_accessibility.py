"""Every page type, as each kind of person sees it, at 1280 and 360 px: no serious or critical axe-core violation,
nothing scrolls sideways on a phone, and on the busiest pages every action is reachable and visibly focused with
the Tab key alone. The HTML of each page also goes to the Nu HTML checker (test_valid_html)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import Skill
from engagements.enums import SubmissionStatus
from matching.services import refresh_student
from notifications.enums import Kind
from notifications.services import notify
from projects.enums import ApplicationStatus, FlagReason, ProjectStatus
from projects.models import ProjectFlag
from tests.browser.pages import VIEWPORTS, axe_violations, log_in_staff
from tests.engagements.factories import EngagementFactory, SubmissionFactory, accept_all
from tests.factories import BusinessFactory, BusinessOwnerFactory, StaffFactory, UserFactory
from tests.projects.factories import ApplicationFactory, ProjectFactory
from tests.students.factories import StudentProfileFactory, completed_engagement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Walks the page with the Tab key: every visible control must be reached and show a focus indicator.
LIST_CONTROLS = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]';
    const controls = [];
    for (const element of document.querySelectorAll(selector)) {
        if (element.disabled || !element.checkVisibility({visibilityProperty: true})) continue;
        const box = element.getBoundingClientRect();
        if (box.width < 1 || box.height < 1) continue;
        // A radio group is one Tab stop; the arrow keys move inside it.
        if (element.type === "radio" && controls.some((c) => c.radio && c.name === element.name)) continue;
        element.dataset.kbStop = controls.length;
        controls.push({name: element.name, radio: element.type === "radio", label: describe(element)});
    }
    return controls;
    function describe(element) {
        return `${element.tagName.toLowerCase()} "${(element.innerText || element.value || element.name ||
            element.getAttribute("aria-label") || "").trim().slice(0, 40)}"`;
    }
}"""
FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
    const box = element.getBoundingClientRect();
    let stop = element.dataset.kbStop;
    if (stop === undefined && element.type === "radio") {
        const first = document.querySelector(`input[type=radio][name="${element.name}"][data-kb-stop]`);
        stop = first && first.dataset.kbStop;
    }
    return {stop: stop === undefined ? null : Number(stop), ring, shown: box.width >= 1 && box.height >= 1,
            label: `${element.tagName.toLowerCase()} ${element.name || element.innerText.trim().slice(0, 40)}`};
}"""


def keyboard_problems(page, limit: int = 400) -> list[str]:
    controls = page.evaluate(LIST_CONTROLS)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    reached, problems, previous = set(), [], None
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        if focused["stop"] == previous:
            continue  # Tab moves between the parts of a date input without leaving it.
        if focused["stop"] in reached:
            break  # Back at the top: the whole page has been walked.
        previous = focused["stop"]
        if focused["stop"] is not None:
            reached.add(focused["stop"])
        if not (focused["ring"] and focused["shown"]):
            problems.append(f"{page.url}: {focused['label']} has no visible focus indicator")
    missed = [control["label"] for number, control in enumerate(controls) if number not in reached]
    if missed:
        problems.append(f"{page.url}: never reached with Tab: {missed[:8]}")
    return problems


@pytest.fixture
def world():
    """One of everything a page can show, for each kind of person."""
    social = Skill.objects.get(name="Social media marketing")
    business = BusinessFactory(name="Sunrise Bakery", description="A family bakery on the east side.")
    owner = BusinessOwnerFactory(business=business, full_name="Rosa Diaz")
    maya = UserFactory(full_name="Maya Lopez")
    profile = StudentProfileFactory(user=maya, skills=[social], portfolio_public=True, discoverable=True)
    open_project = ProjectFactory(
        business=business,
        title="Holiday social media push",
        required_skills=[social],
        deliverables=["Content calendar", "Ten post designs"],
        screening_questions=["Show us a post you made"],
        fee=Decimal("640"),
    )
    other = ProjectFactory(business=business, title="Recipe cards", required_skills=[social], hours_per_week=5)
    offered = ApplicationFactory(project=open_project, student=maya, status=ApplicationStatus.OFFERED)
    offered.offer_expires_at = timezone.now() + timedelta(days=5)
    offered.proposed_start = open_project.earliest_start
    offered.save()
    waiting = ApplicationFactory(project=open_project, status=ApplicationStatus.SHORTLISTED)
    in_progress = EngagementFactory(project__business=business, student=maya, application__student=maya)
    first, second, _ = in_progress.project.deliverables.order_by("position")
    SubmissionFactory(engagement=in_progress, deliverable=first, status=SubmissionStatus.ACCEPTED)
    SubmissionFactory(engagement=in_progress, deliverable=second)
    ready = EngagementFactory(project__business=business)
    accept_all(ready)
    finished = completed_engagement(
        student=maya,
        project=ProjectFactory(business=business, title="Spring menu photos", status=ProjectStatus.COMPLETED),
        accepted=[],
        reference=(5, "Careful, creative work."),
        student_feedback=False,
    )
    ProjectFlag.objects.create(project=open_project, reporter=UserFactory(), reason=FlagReason.OTHER, note="Check")
    for user in (maya, owner):
        notify(recipient=user, kind=Kind.ACCOUNT, title="Welcome to Campus to Commerce", body="Glad you're here.")
    refresh_student(profile.pk)
    return {
        "owner": owner,
        "maya": maya,
        "staff": StaffFactory(),
        "profile": profile,
        "business": business,
        "project": open_project,
        "other": other,
        "offered": offered,
        "waiting": waiting,
        "in_progress": in_progress,
        "ready": ready,
        "finished": finished,
    }


def pages_of(world) -> dict[str, list[str]]:
    project, profile = world["project"], world["profile"]
    in_progress, ready, finished = world["in_progress"], world["ready"], world["finished"]
    setup = "/students/profile/setup/?step="
    return {
        "visitor": [
            "/",
            "/projects/",
            "/projects/?q=social&min_weeks=9",
            f"/projects/{project.pk}/",
            "/businesses/register/",
            f"/businesses/{project.business_id}/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            f"/students/portfolio/{profile.portfolio_token}/",
            "/no-such-page/",
        ],
        "student": [
            "/",
            "/projects/?sort=match",
            f"/projects/{project.pk}/",
            f"/projects/{world['other'].pk}/apply/",
            "/projects/applications/",
            f"/projects/applications/{world['offered'].pk}/",
            f"/projects/applications/{world['offered'].pk}/withdraw/",
            f"/projects/{project.pk}/report/",
            "/engagements/",
            f"/engagements/{in_progress.pk}/",
            f"/engagements/{in_progress.pk}/hand-in/",
            f"/engagements/{finished.pk}/",
            f"/engagements/{finished.pk}/payment-received/",
            f"/engagements/{finished.pk}/feedback/",
            "/students/profile/",
            *(f"{setup}{step}" for step in ["school", "skills", "interests", "availability", "links"]),
            "/students/portfolio/",
            f"/students/{profile.pk}/",
            "/students/profile/delete/",
            "/notifications/",
            "/notifications/preferences/",
        ],
        "owner": [
            "/businesses/dashboard/",
            "/businesses/projects/new/?template=social-media-campaign",
            f"/businesses/projects/{project.pk}/",
            f"/businesses/projects/{project.pk}/edit/",
            f"/businesses/projects/{project.pk}/withdraw/",
            f"/businesses/projects/{project.pk}/applicants/",
            f"/businesses/projects/{project.pk}/recommended/",
            f"/businesses/applications/{world['waiting'].pk}/offer/",
            f"/students/{profile.pk}/",
            "/engagements/",
            f"/engagements/{in_progress.pk}/",
            f"/engagements/{in_progress.pk}/review/",
            f"/engagements/{ready.pk}/complete/",
            "/notifications/",
        ],
        "staff": [
            "/admin/",
            "/admin/businesses/business/",
            f"/admin/businesses/business/{world['business'].pk}/change/",
            "/admin/projects/project/?queue=review",
            f"/admin/projects/project/{project.pk}/change/",
            "/admin/projects/projectflag/",
            "/admin/projects/application/",
            "/admin/engagements/engagement/",
            f"/admin/engagements/engagement/{in_progress.pk}/change/",
            "/admin/accounts/user/",
            "/admin/impact/",
        ],
    }


# The pages people act on most, walked with the Tab key (each walk is one key press per control).
KEYBOARD_WALKS = {
    "visitor": ["/", "/projects/"],
    "student": ["/", "/students/profile/", "/engagements/{in_progress}/hand-in/"],
    "owner": [
        "/businesses/dashboard/",
        "/businesses/projects/{project}/applicants/",
        "/engagements/{in_progress}/review/",
    ],
    "staff": ["/admin/projects/project/?queue=review"],
}


def test_every_page_type_passes_axe_fits_a_phone_and_works_with_the_keyboard(person, world):
    problems = []
    signed_in = {"visitor": None, "student": world["maya"], "owner": world["owner"]}
    ids = {"in_progress": world["in_progress"].pk, "project": world["project"].pk}
    for who, urls in pages_of(world).items():
        page = person(who, user=signed_in.get(who))
        if who == "staff":
            log_in_staff(page, world["staff"])
        walks = {url.format(**ids) for url in KEYBOARD_WALKS[who]}
        for url in urls:
            page.set_viewport_size(VIEWPORTS["desktop"])
            response = page.goto(url)
            assert response.status == (404 if url == "/no-such-page/" else 200), url
            problems += axe_violations(page)
            if url in walks:
                problems += keyboard_problems(page)
            page.set_viewport_size(VIEWPORTS["phone"])
            problems += axe_violations(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS["phone"]["width"]:
                problems.append(f"{url} as {who} is {width}px wide at 360px")
        page.problems = [text for text in page.problems if "404 (Not Found)" not in text]

    # A staff action with its reason page, and a failed form with its errors, are pages too.
    staff = page
    staff.set_viewport_size(VIEWPORTS["desktop"])
    staff.goto("/admin/businesses/business/")
    staff.get_by_role("checkbox", name="Select this object for an action - Sunrise Bakery").check()
    staff.get_by_label("Action:").select_option(label="Reject selected businesses (with a reason)")
    staff.get_by_role("button", name="Go").click()
    problems += axe_violations(staff)
    visitor = person("visitor-with-errors")
    visitor.goto("/businesses/register/")
    visitor.get_by_role("button", name="Register organisation").click()
    # The first field with an error; expect waits for the new page's script to move focus there.
    expect(visitor.locator("form [name=email]")).to_be_focused()
    problems += axe_violations(visitor)
    visitor.set_viewport_size(VIEWPORTS["phone"])
    problems += axe_violations(visitor)
    student = person("student-with-errors", user=world["maya"])
    student.goto(f"/engagements/{world['in_progress'].pk}/hand-in/")
    student.get_by_role("button", name="Hand in").click()
    # An error about the whole form: static/js/site.js moves focus to the message saying what to do.
    expect(student.locator("[data-form-errors]")).to_be_focused()
    problems += axe_violations(student)

    assert not problems, "\n".join(problems)

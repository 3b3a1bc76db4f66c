"""Whole journeys in a real browser against the live site and its real worker, finding things as a person does:
by their labels and roles. Each prints the page loads it took."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from businesses.enums import BusinessStatus
from businesses.models import Business
from catalogue.models import Skill
from engagements.models import Engagement
from matching.models import RecommendedProject
from projects.enums import ProjectStatus
from projects.models import Project
from tests.browser.pages import assert_fits, log_in_staff, open_menu_if_collapsed
from tests.factories import PASSWORD, BusinessFactory, BusinessOwnerFactory, StaffFactory, UserFactory
from tests.processes import wait_for
from tests.projects.factories import ApplicationFactory, ProjectFactory
from tests.students.factories import StudentProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def confirmation_link() -> str:
    return re.search(r"(http://\S+/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)


def focused_field_name(page) -> str:
    return page.evaluate("document.activeElement.name || document.activeElement.id")


def choose_in_admin(page, *, row_label: str, action: str):
    """Tick one row of an admin list, pick an action, run it and confirm on the reason page."""
    page.get_by_role("checkbox", name=f"Select this object for an action - {row_label}").check()
    page.get_by_label("Action:").select_option(label=action)
    page.get_by_role("button", name="Go").click()
    page.get_by_role("button", name="Confirm").click()


def test_a_partner_registers_is_approved_posts_from_a_template_and_staff_publish_it(person, browser_worker):
    owner = person("owner")
    owner.goto("/")
    owner.get_by_role("link", name="For businesses").click()

    owner.get_by_label("Your email (used to log in)").fill("rosa@sunrise-bakery.example")
    owner.get_by_label("Choose a password").fill(PASSWORD)
    owner.get_by_label("Repeat the password").fill(PASSWORD)
    owner.get_by_label("Type").select_option(label="Small business")
    owner.get_by_label("Industry").select_option(label="Food and hospitality")
    owner.get_by_label("Size").select_option(label="2–9 people")
    owner.get_by_label("Website").fill("not a web address")
    owner.get_by_label("City").fill("Toledo")
    owner.get_by_label("State").fill("OH")
    owner.get_by_label("Contact name").fill("Rosa Diaz")
    owner.get_by_label("Contact email").fill("rosa@sunrise-bakery.example")
    owner.get_by_label("What kinds of projects do you have in mind?").fill("Instagram posts for the holidays.")
    owner.get_by_label("We will pay students the agreed fee for every project").check()
    owner.get_by_label("We agree to the partner terms").check()
    owner.get_by_role("button", name="Register organisation").click()

    # The organisation's name was left empty and the website is nonsense: both are marked, the rest is kept,
    # and the cursor waits in the first field to fix.
    expect(owner.get_by_role("alert")).to_contain_text("except the password: enter it again")
    expect(owner.locator("#div_id_name")).to_contain_text("This field is required.")
    expect(owner.locator("#div_id_website")).to_contain_text("Enter a valid URL.")
    assert focused_field_name(owner) == "name"
    expect(owner.get_by_label("Contact name")).to_have_value("Rosa Diaz")
    expect(owner.get_by_label("What kinds of projects do you have in mind?")).to_have_value(
        "Instagram posts for the holidays."
    )
    expect(owner.get_by_label("Choose a password")).to_have_value("")

    owner.get_by_label("Organisation name").fill("Sunrise Bakery")
    owner.get_by_label("Website").fill("sunrise-bakery.example")  # a bare domain is fine
    owner.get_by_label("Choose a password").fill(PASSWORD)
    owner.get_by_label("Repeat the password").fill(PASSWORD)
    owner.get_by_role("button", name="Register organisation").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    assert Business.objects.get().website == "https://sunrise-bakery.example"
    owner.goto(confirmation_link())
    owner.get_by_role("button", name="Confirm").click()
    expect(owner.get_by_role("heading", name="Your registration is being reviewed")).to_be_visible()

    staff = person("staff")
    log_in_staff(staff, StaffFactory())
    staff.get_by_role("link", name="Businesses", exact=True).last.click()
    staff.get_by_role("link", name="Pending review").click()
    choose_in_admin(staff, row_label="Sunrise Bakery", action="Approve selected businesses")
    expect(staff.get_by_text("Approved 1 item(s).")).to_be_visible()
    assert Business.objects.get().status == BusinessStatus.APPROVED

    owner.reload()
    owner.get_by_role("link", name=re.compile("^Social media campaign")).click()
    expect(owner.get_by_label("Title")).not_to_have_value("")
    owner.get_by_label("Filter nice-to-have skills").fill("canva")
    owner.get_by_role("group", name="Nice-to-have skills").get_by_label("Canva").check()
    today = timezone.localdate()
    owner.get_by_label("Apply by").fill(str(today + timedelta(days=10)))
    owner.get_by_label("Earliest start date").fill(str(today + timedelta(days=17)))
    owner.get_by_label("Fixed fee (USD)").fill("100")
    owner.get_by_role("button", name="Send for review").click()
    expect(owner.locator("#div_id_fee")).to_contain_text("the minimum is $15 an hour")
    assert focused_field_name(owner) == "fee"
    owner.get_by_label("Fixed fee (USD)").fill("640")
    owner.get_by_role("button", name="Send for review").click()
    expect(owner.get_by_text("was sent for review")).to_be_visible()
    project = Project.objects.get()
    assert project.template.slug == "social-media-campaign"
    assert set(project.required_skills.values_list("name", flat=True)) == {"Social media marketing", "Content writing"}
    assert set(project.nice_to_have_skills.values_list("name", flat=True)) == {"Photography", "Canva"}

    staff.goto("/admin/")
    staff.get_by_role("link", name="Projects", exact=True).last.click()
    staff.get_by_role("link", name="Waiting for review").first.click()
    choose_in_admin(staff, row_label=project.title, action="Approve and publish selected projects")
    expect(staff.get_by_text("Published 1 item(s).")).to_be_visible()
    project.refresh_from_db()
    assert project.status == ProjectStatus.PUBLISHED

    # The worker emails the owner; the link in it leads to the running site.
    def live_email():
        return next(
            (f for f in Path(browser_worker["mail_dir"]).glob("*") if "is live" in f.read_text()),
            None,
        )

    assert wait_for(live_email), Path(browser_worker["log"]).read_text()[-3000:]
    link = re.search(r"(http://\S+/businesses/projects/\d+/)", live_email().read_text()).group(1)
    owner.goto(link)
    expect(owner.get_by_text("Live: students can find and apply.")).to_be_visible()
    print(f"Page loads, registration to publication: owner {owner.loads}, staff {staff.loads}")


def test_a_student_signs_up_on_a_phone_finishes_the_profile_sees_a_recommendation_and_applies(person, browser_worker):
    needs = [Skill.objects.get(name="Social media marketing"), Skill.objects.get(name="Content writing")]
    project = ProjectFactory(
        title="Holiday social media push",
        business=BusinessFactory(name="Sunrise Bakery"),
        required_skills=needs,
        hours_per_week=8,
    )
    student = person("student", viewport="phone")
    student.goto("/")
    open_menu_if_collapsed(student)
    student.get_by_role("link", name="Sign up", exact=True).click()
    student.get_by_label("Your name").fill("Maya Lopez")
    student.get_by_label("Email").fill("maya@college.example")
    student.get_by_label("I'm a student").check()
    student.get_by_label("Password").first.fill(PASSWORD)
    student.get_by_label("Password (again)").fill(PASSWORD)
    student.get_by_role("button", name="Sign Up").click()
    expect(student.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    student.goto(confirmation_link())
    student.get_by_role("button", name="Confirm").click()

    expect(student.get_by_role("heading", name="Set up your profile")).to_be_visible()
    student.get_by_label("School, college or university").fill("Sinclair Community College")
    student.get_by_label("School type").select_option(label="Community college")
    student.get_by_role("button", name="Save and continue").click()
    student.get_by_label("Filter skills").fill("social")
    student.get_by_label("Social media marketing").select_option(label="Intermediate")
    assert_fits(student)
    student.get_by_role("button", name="Save and continue").click()
    student.get_by_label("Food and hospitality").check()
    student.get_by_role("button", name="Save and continue").click()
    student.get_by_label("Hours a week you can give").fill("10")
    student.get_by_label("Remote only").check()
    today = timezone.localdate()
    student.get_by_role("textbox", name=re.compile("^From")).fill(str(today))
    student.get_by_role("textbox", name=re.compile("^To")).fill(str(today + timedelta(days=120)))
    student.get_by_role("button", name="Save and continue").click()
    student.get_by_role("button", name="Save and finish").click()
    expect(student.get_by_role("heading", name="Your profile is complete")).to_be_visible()
    assert_fits(student)

    # The worker scores the finished profile; the recommendation says why.
    recommended = RecommendedProject.objects.filter(project=project)
    assert wait_for(recommended.exists), Path(browser_worker["log"]).read_text()[-3000:]
    student.goto("/")
    recommendations = student.get_by_role("region", name="Recommended for you")
    expect(recommendations).to_contain_text("You have 1 of 2 required skills: Social media marketing (intermediate)")
    assert_fits(student)
    recommendations.get_by_role("link", name="Holiday social media push").click()
    student.get_by_role("link", name="Apply for this project").click()

    # Applying with the keyboard alone.
    student.get_by_label("Cover note").focus()
    student.keyboard.type("I run my church's Instagram and love baking.")
    student.keyboard.press("Tab")
    student.keyboard.press("Space")
    student.keyboard.press("Tab")
    student.keyboard.press("Enter")
    expect(student.get_by_text("Application sent to Sunrise Bakery")).to_be_visible()
    assert project.applications.get().cover_note == "I run my church's Instagram and love baking."
    assert_fits(student)
    print(f"Page loads, sign-up to application: {student.loads}")


def test_the_business_hires_the_student_the_work_is_handed_in_paid_for_and_shown_in_the_portfolio(person):
    skill = Skill.objects.get(name="Social media marketing")
    bakery = BusinessFactory(name="Riverside Bakery")
    owner = BusinessOwnerFactory(business=bakery)
    project = ProjectFactory(
        title="Holiday social media push",
        business=bakery,
        fee=Decimal("300"),
        duration_weeks=2,
        hours_per_week=10,
        required_skills=[skill],
        deliverables=["Content calendar", "Ten post designs", "Results summary"],
    )
    maya = UserFactory(full_name="Maya Lopez", email="maya@college.example")
    StudentProfileFactory(user=maya, skills=[skill])
    ApplicationFactory(project=project, student=maya)
    business = person("business", user=owner)
    student = person("student", user=maya)

    business.goto("/businesses/dashboard/")
    business.get_by_role("link", name="1 applicant, 1 waiting").click()
    business.get_by_role("button", name="Shortlist").click()
    business.get_by_role("link", name="Make an offer…").click()
    start = project.earliest_start + timedelta(days=3)
    business.get_by_label("Proposed start date").fill(str(start))
    business.get_by_label("A message for the student (optional)").fill("We loved your holiday ideas.")
    business.get_by_role("button", name="Send the offer").click()
    expect(business.get_by_text("Offer sent to Maya Lopez")).to_be_visible()

    student.goto("/projects/applications/")
    student.get_by_role("link", name="Holiday social media push").click()
    offer = student.get_by_role("region", name="You have an offer")
    expect(offer).to_contain_text("We loved your holiday ideas.")
    expect(offer).to_contain_text(f"starting {start:%a %-d %b %Y}")
    student.get_by_role("button", name="Accept the offer").click()
    expect(student.get_by_role("heading", name="Holiday social media push")).to_be_visible()
    engagement = Engagement.objects.get()
    loads_before = business.loads + student.loads

    student.get_by_role("link", name="Hand in work").click()
    for number, title in enumerate(["Content calendar", "Ten post designs", "Results summary"], start=1):
        part = student.get_by_role("group", name=f"{number}. {title}")
        part.get_by_label("Link").fill(f"docs.example.org/{title.lower().replace(' ', '-')}")
    student.get_by_role("button", name="Hand in").click()
    expect(student.get_by_text("are handed in")).to_be_visible()

    business.get_by_role("link", name="Engagements").click()
    business.get_by_role("link", name="Holiday social media push").click()
    business.get_by_role("link", name="Review hand-ins (3)").click()
    business.get_by_role("button", name="Send decisions").click()
    expect(business.get_by_text("You accepted")).to_be_visible()
    business.get_by_role("link", name="Mark complete…").click()
    business.get_by_label("I've already sent the fee of $300 to the student").check()
    business.get_by_label("5 — excellent").check()
    business.get_by_label("How did it go?").fill("Maya planned and delivered the whole campaign early.")
    business.get_by_label("Offer this as a reference for the student").check()
    business.get_by_role("button", name="Yes, mark it complete").click()
    expect(business.get_by_text("The engagement is complete.")).to_be_visible()

    student.reload()
    student.get_by_role("link", name="I've received the fee…").click()
    student.get_by_label("5 — excellent").check()
    student.get_by_label("How did it go?").fill("Clear brief and quick answers.")
    student.get_by_role("button", name="Yes, I received it").click()
    expect(student.get_by_text("Thanks for your feedback.")).to_be_visible()
    closing_loads = business.loads + student.loads - loads_before
    print(f"Page loads from the accepted offer to both sides' feedback: {closing_loads}")
    print(f"Page loads from the dashboard to both sides' feedback: {business.loads + student.loads}")
    engagement.refresh_from_db()
    assert engagement.is_paid and engagement.feedback.count() == 2

    # The application's link to its project still works now the project is in progress.
    student.get_by_role("link", name="My applications").click()
    student.get_by_role("link", name="Holiday social media push").click()
    student.get_by_role("link", name="see the project").click()
    expect(student.get_by_role("heading", level=1)).to_have_text("Holiday social media push")
    expect(student.get_by_role("status").first).to_contain_text("no longer takes applications")

    student.get_by_role("link", name="Portfolio").click()
    student.get_by_role("button", name="Make it public").click()
    # The link names the public address; its token is URL-safe base64, which may begin with "-".
    shared = student.get_by_role("link", name=re.compile(r"students.portfolio.[\w-]")).get_attribute("href")
    visitor = person("visitor")
    visitor.goto(shared)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Maya Lopez")
    expect(visitor.get_by_role("main")).to_contain_text("Holiday social media push")
    expect(visitor.get_by_role("main")).to_contain_text("Maya planned and delivered the whole campaign early.")
    assert "maya@college.example" not in visitor.content()

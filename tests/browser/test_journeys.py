"""Whole journeys in a real browser against the live site and a real worker, finding things as a person does."""

from decimal import Decimal

import pytest

from engagements.models import Engagement
from projects.models import Skill
from tests.factories import BusinessFactory, BusinessOwnerFactory, UserFactory
from tests.projects.factories import ApplicationFactory, ProjectFactory
from tests.students.factories import StudentProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


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
    business.locator('td a[href$="/applicants/"]').click()
    business.get_by_role("button", name="Shortlist").click()
    business.get_by_role("button", name="Make an offer").click()
    business.get_by_text("Offer sent to Maya Lopez").wait_for()

    student.goto("/projects/applications/")
    student.get_by_role("link", name="Holiday social media push").click()
    student.get_by_role("button", name="Accept the offer").click()
    student.get_by_role("heading", name="Holiday social media push").wait_for()
    engagement = Engagement.objects.get()
    loads_before = business.loads + student.loads

    for title in ("Content calendar", "Ten post designs", "Results summary"):
        student.get_by_role("link", name="Hand in", exact=True).first.click()
        student.get_by_label("Link").fill(f"docs.example.org/{title.lower().replace(' ', '-')}")
        student.get_by_role("button", name="Hand in").click()
        student.get_by_text(f"“{title}” is handed in").wait_for()

    business.get_by_role("link", name="Engagements").click()
    business.get_by_role("link", name="Holiday social media push").click()
    for _ in range(3):
        business.get_by_role("link", name="Review").first.click()
        business.get_by_role("button", name="Accept").click()
        business.get_by_text("You accepted").wait_for()
    business.get_by_role("link", name="Mark complete…").click()
    business.get_by_role("button", name="Yes, mark it complete").click()
    business.get_by_role("link", name="I've sent the fee…").click()
    business.get_by_role("button", name="Yes, I sent the fee").click()
    business.get_by_role("link", name="Leave feedback").click()
    business.get_by_label("5 — excellent").check()
    business.get_by_label("How did it go?").fill("Maya planned and delivered the whole campaign early.")
    business.get_by_label("Offer this as a reference for the student").check()
    business.get_by_role("button", name="Send feedback").click()
    business.get_by_text("Thanks for your feedback.").wait_for()

    student.goto(engagement.get_absolute_url())
    student.get_by_role("link", name="I've received the fee…").click()
    student.get_by_role("button", name="Yes, I received it").click()
    student.get_by_role("link", name="Leave feedback").click()
    student.get_by_label("5 — excellent").check()
    student.get_by_label("How did it go?").fill("Clear brief and quick answers.")
    student.get_by_role("button", name="Send feedback").click()
    student.get_by_text("Thanks for your feedback.").wait_for()
    closing_loads = business.loads + student.loads - loads_before
    print(f"Page loads from the accepted offer to both sides' feedback: {closing_loads}")
    print(f"Page loads from the dashboard to both sides' feedback: {business.loads + student.loads}")

    engagement.refresh_from_db()
    assert engagement.is_paid and engagement.feedback.count() == 2

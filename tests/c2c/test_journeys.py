"""Whole journeys through the site as its users take them, one request at a time."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from businesses.enums import BusinessStatus
from businesses.models import Business
from catalogue.models import Interest, Skill
from engagements.models import Engagement
from notifications.enums import Kind
from notifications.models import Notification
from projects.enums import ProjectStatus
from projects.models import Application, Project
from tests.factories import PASSWORD, BusinessOwnerFactory, StaffFactory, client_for
from tests.helpers import availability_data, registration_data, school_data, step_url
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def initial_form_data(form) -> dict:
    """What the browser would post back for a form as rendered, before the user changes anything."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[name] = field.prepare_value(value) if hasattr(field, "prepare_value") else value
    return data


def test_a_partner_registers_is_approved_posts_from_a_template_and_students_find_it(client):
    staff_client = client_for(StaffFactory())

    # The owner fills in the partner form; staff approve it in admin.
    client.post(reverse("businesses:register"), registration_data())
    business = Business.objects.get(name="Sunrise Bakery")
    assert business.status == BusinessStatus.PENDING
    staff_client.post(
        reverse("admin:businesses_business_changelist"),
        {"action": "action_approved", "_selected_action": [business.pk], "apply": "1", "reason": ""},
    )
    business.refresh_from_db()
    assert business.status == BusinessStatus.APPROVED

    # The owner starts from the social media template, sets dates, and sends it for review.
    client.force_login(User.objects.get(email="owner@bakery.example"))
    form = client.get(reverse("businesses:project_new"), {"template": "social-media-campaign"}).context["form"]
    today = timezone.localdate()
    data = initial_form_data(form) | {
        "apply_by": str(today + timedelta(days=10)),
        "earliest_start": str(today + timedelta(days=17)),
        "location_mode": "remote",
        "openings": "1",
        "submit_for_review": "1",
    }
    response = client.post(reverse("businesses:project_new") + "?template=social-media-campaign", data, follow=True)
    assert "was sent for review" in response.content.decode()
    project = Project.objects.get(business=business)
    assert project.template.slug == "social-media-campaign"
    assert project.deliverables.count() >= 3

    # Staff publish it from the review queue.
    staff_client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "action_published", "_selected_action": [project.pk], "apply": "1", "reason": ""},
    )
    project.refresh_from_db()
    assert project.status == "published"

    # Anyone finds it by search, and by search plus filters; a filter it doesn't match hides it.
    client.logout()
    skill = project.required_skills.first() or Skill.objects.get(slug="social-media-marketing")
    for query in (
        {"q": "social media"},
        {"q": "social media", "category": project.category, "location_mode": "remote"},
        {"skills": skill.slug, "max_hours": str(project.hours_per_week), "sort": "pay"},
    ):
        page = client.get(reverse("projects:browse"), query).content.decode()
        assert project.title in page, query
    assert project.title not in client.get(reverse("projects:browse"), {"category": "finance"}).content.decode()
    detail = client.get(project.get_absolute_url()).content.decode()
    assert "Sunrise Bakery" in detail and "Log in to apply" in detail


def test_a_student_applies_is_selected_does_the_work_gets_paid_and_keeps_a_portfolio_entry(
    client, django_capture_on_commit_callbacks
):
    project = ProjectFactory(deliverables=["Content calendar"], screening_questions=["Show us a post you made"])
    owner = BusinessOwnerFactory(business=project.business)
    business_client = client_for(owner)

    # Maya signs up, confirms her email and lands on her profile, which she fills in step by step.
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Maya Lopez",
            "email": "maya@college.example",
            "role": "student",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    confirm_path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    response = client.post(confirm_path)
    assert response["Location"] == reverse("students:onboarding")
    client.post(step_url("school"), school_data())
    skill = project.required_skills.first() or Skill.objects.get(slug="social-media-marketing")
    client.post(step_url("skills"), {f"skill_{skill.pk}": "intermediate"})
    client.post(step_url("interests"), {"industries": [Interest.objects.filter(kind="industry").first().pk]})
    client.post(step_url("availability"), availability_data())
    client.post(step_url("links"), {"portfolio_url": "maya.example.org"})
    maya = User.objects.get(email="maya@college.example")
    assert maya.student_profile.onboarding_completed_at is not None

    # Maya applies.
    client.post(
        reverse("projects:apply", args=[project.pk]),
        {"cover_note": "I run my church's Instagram.", "answer_0": "instagram.com/p/1", "confirmed_availability": "on"},
    )
    application = Application.objects.get(student=maya)

    # The business shortlists, then offers; Maya accepts.
    for decision in ("shortlist", "offer"):
        business_client.post(reverse("businesses:application_decide", args=[application.pk, decision]))
    client.post(reverse("projects:offer_respond", args=[application.pk]), {"answer": "accept"})
    engagement = Engagement.objects.get(application=application)
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS

    # She hands in the deliverable; the business accepts it, completes the engagement and pays.
    deliverable = project.deliverables.get()
    client.post(
        reverse("engagements:hand_in", args=[engagement.pk]),
        {f"link_{deliverable.pk}": "https://docs.example.org/calendar", f"note_{deliverable.pk}": "Here it is."},
    )
    submission = engagement.submissions.get()
    business_client.post(reverse("engagements:review", args=[engagement.pk]), {f"decision_{submission.pk}": "accept"})
    # Completing carries the payment confirmation and the business's feedback, a reference.
    business_client.post(
        reverse("engagements:complete", args=[engagement.pk]),
        {"payment_sent": "on", "rating": "5", "comment": "Reliable and creative.", "is_reference": "on"},
    )
    # Maya confirms the fee arrived and leaves her feedback in the same step.
    client.post(
        reverse("engagements:payment_received", args=[engagement.pk]), {"rating": "5", "comment": "Kind owners."}
    )
    engagement.refresh_from_db()
    assert engagement.status == "completed" and engagement.is_paid
    assert engagement.feedback.count() == 2
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED

    # Maya's portfolio shows it all.
    portfolio = client.get(reverse("students:portfolio")).content.decode()
    assert project.title in portfolio
    assert "Content calendar" in portfolio
    assert "Reliable and creative." in portfolio
    kinds = set(Notification.objects.filter(recipient=maya).values_list("kind", flat=True))
    # Completion, payment and the business's feedback came in one step, so Maya heard once about all three.
    assert {Kind.APPLICATION_DECISION, Kind.ENGAGEMENT} <= kinds
    completed = Notification.objects.get(recipient=maya, title=f"“{project.title}” is complete")
    assert "confirmed they sent your fee" in completed.body and "left feedback" in completed.body

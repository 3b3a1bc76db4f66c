"""Whole journeys through the site as its users take them, one request at a time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from businesses.enums import BusinessStatus
from businesses.models import Business
from projects.models import Project, Skill
from tests.businesses.test_registration import registration_data
from tests.factories import StaffFactory, client_for

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

"""Every kind of page carries the CSP and Permissions-Policy headers, and no page relies on inline code."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.engagements.factories import EngagementFactory
from tests.factories import BusinessFactory, BusinessOwnerFactory, UserFactory, client_for
from tests.projects.factories import ApplicationFactory, ProjectFactory
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SWITCHED_OFF = ["camera", "microphone", "geolocation", "payment", "usb"]
INLINE_CODE = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "a style element": re.compile(r"<style[\s>]", re.I),
    "a style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "an event-handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
}


def policy(header: str) -> dict:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture
def pages(staff_client):
    """(who, path, expected status) for one page of every kind, with a browser for each kind of visitor."""
    project = ProjectFactory(business=BusinessOwnerFactory().membership.business)
    owner = project.business.memberships.get().user
    application = ApplicationFactory(project=project)
    student = application.student
    engagement = EngagementFactory(student=student, application__student=student)
    pending = BusinessFactory(status="pending")
    clients = {"anonymous": None, "student": student, "owner": owner, "newcomer": UserFactory()}
    clients = {who: client_for(user) if user else Client() for who, user in clients.items()}
    clients["staff"] = staff_client
    return clients, [
        ("anonymous", reverse("home"), 200),
        ("anonymous", reverse("account_login"), 200),
        ("anonymous", reverse("account_signup"), 200),
        ("anonymous", reverse("account_reset_password"), 200),
        ("anonymous", reverse("businesses:register"), 200),
        ("anonymous", reverse("projects:browse"), 200),
        ("anonymous", reverse("projects:detail", args=[project.pk]), 200),
        ("anonymous", "/no-such-page/", 404),
        ("student", reverse("home"), 200),
        ("student", reverse("students:profile"), 200),
        ("student", f"{reverse('students:onboarding')}?step=links", 200),
        ("student", reverse("projects:my_applications"), 200),
        ("student", reverse("projects:application", args=[application.pk]), 200),
        ("student", reverse("engagements:detail", args=[engagement.pk]), 200),
        ("student", reverse("notifications:inbox"), 200),
        ("student", reverse("notifications:preferences"), 200),
        ("student", reverse("account_email"), 200),
        ("student", reverse("mfa_index"), 200),
        ("newcomer", reverse("students:onboarding"), 200),
        ("owner", reverse("businesses:dashboard"), 200),
        ("owner", reverse("businesses:project_new"), 200),
        ("owner", reverse("businesses:applicants", args=[project.pk]), 200),
        ("owner", reverse("students:applicant", args=[student.student_profile.pk]), 200),
        ("student", reverse("admin:login"), 403),
        ("staff", reverse("admin:index"), 200),
        ("staff", reverse("admin:businesses_business_changelist"), 200),
        ("staff", reverse("admin:businesses_business_change", args=[pending.pk]), 200),
        ("staff", reverse("admin:accounts_user_change", args=[student.pk]), 200),
        ("staff", reverse("admin:accounts_user_add"), 200),
    ]


def test_every_kind_of_page_sends_the_policies_and_has_no_inline_code(pages):
    clients, visits = pages
    for who, path, status in visits:
        response = clients[who].get(path)
        where = f"{who} {path}"
        assert response.status_code == status, where
        assert policy(response["Content-Security-Policy"]) == EXPECTED_CSP, where
        permissions = response["Permissions-Policy"]
        for feature in SWITCHED_OFF:
            assert f"{feature}=()" in permissions, where
        assert response["X-Frame-Options"] == "DENY", where
        assert response["X-Content-Type-Options"] == "nosniff", where
        content = response.content.decode()
        for what, pattern in INLINE_CODE.items():
            assert not pattern.search(content), f"{where} has {what}: {pattern.search(content).group(0)}"


def test_a_refused_form_gets_the_sites_page_and_the_policies(db):
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "a@example.org"})

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert policy(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert not INLINE_CODE["a style element"].search(response.content.decode())


def test_the_too_many_attempts_page_sends_them_too(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "partner_register": "1/m/ip"}
    client.post(reverse("businesses:register"), {})

    response = client.post(reverse("businesses:register"), {})

    assert response.status_code == 429
    assert policy(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert "camera=()" in response["Permissions-Policy"]


def test_a_student_profile_meter_needs_no_inline_style(client):
    profile = StudentProfileFactory(bio="", github_url="")
    client.force_login(profile.user)

    content = client.get(reverse("students:profile")).content.decode()

    meter = re.search(r"<progress[^>]*>", content).group(0)
    assert 'class="profile-meter' in meter
    assert re.search(r'value="\d+"', meter)
    assert 'max="100"' in meter

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, *, email="ana@example.org", role="student"):
    return client.post(
        reverse("account_signup"),
        {"full_name": "Ana Lopez", "email": email, "role": role, "password1": PASSWORD, "password2": PASSWORD},
    )


def confirmation_link(message) -> str:
    return re.search(r"https://c2c\.test(/accounts/confirm-email/[^\s/]+/)", message.body).group(1)


def test_student_signup_sends_a_confirmation_link_built_from_site_url(client):
    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get(email="ana@example.org")
    assert user.role == Role.STUDENT
    assert user.full_name == "Ana Lopez"
    assert user.check_password(PASSWORD)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "https://c2c.test/accounts/confirm-email/" in mail.outbox[0].body


def test_login_is_refused_until_the_email_is_confirmed_then_confirming_logs_in(client):
    sign_up(client)
    link = confirmation_link(mail.outbox[0])
    client.logout()

    response = client.post(reverse("account_login"), {"login": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="ana@example.org").pk


def test_business_signup_is_sent_to_the_partner_registration_form_after_confirming(client):
    sign_up(client, email="owner@example.org", role="business")
    link = confirmation_link(mail.outbox[0])

    response = client.post(link, follow=True)

    assert User.objects.get(email="owner@example.org").role == Role.BUSINESS
    assert response.redirect_chain[-1][0] == reverse("businesses:register")
    assert b"Register your organisation" in response.content


def test_signup_with_a_taken_email_or_mismatched_passwords_keeps_what_was_typed(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Ana Lopez",
            "email": "new@example.org",
            "role": "business",
            "password1": PASSWORD,
            "password2": "something-else-entirely",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.org").exists()
    content = response.content.decode()
    assert 'value="Ana Lopez"' in content
    assert 'value="new@example.org"' in content
    assert 'value="business" checked' in content or re.search(r'value="business"[^>]*checked', content)


def test_email_is_the_login_and_is_case_insensitive(client):
    UserFactory(email="case@example.org")
    response = client.post(reverse("account_login"), {"login": "CASE@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_password_reset_email_links_to_site_url(client):
    UserFactory(email="forgot@example.org")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})
    assert len(mail.outbox) == 1
    assert re.search(r"https://c2c\.test/accounts/password/reset/key/\S+", mail.outbox[0].body)


def test_admin_login_goes_through_allauth_and_its_rate_limits(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_failed_logins_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    UserFactory(email="target@example.org")
    responses = [
        client.post(reverse("account_login"), {"login": "target@example.org", "password": "wrong"}) for _ in range(5)
    ]
    assert "Too many failed login attempts" not in responses[0].content.decode()
    assert "Too many failed login attempts" in responses[-1].content.decode()
    # Even the right password is refused while the limit holds.
    response = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 429}

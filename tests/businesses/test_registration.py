import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from businesses.enums import BusinessStatus
from businesses.models import Business, BusinessStatusChange
from notifications.enums import Kind
from notifications.models import Notification
from tests.factories import PASSWORD, BusinessFactory, BusinessOwnerFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def registration_data(**overrides):
    data = {
        "email": "owner@bakery.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "name": "Sunrise  Bakery",
        "org_type": "small_business",
        "industry": "food",
        "size": "2-9",
        "website": "www.sunrise-bakery.example",
        "city": "Toledo",
        "state": "OH",
        "ein": "12-3456789",
        "contact_name": "Rosa Diaz",
        "contact_title": "Owner",
        "contact_email": "rosa@sunrise-bakery.example",
        "contact_phone": "(555) 123-4567",
        "heard_about": "college",
        "project_ideas": "Instagram content, a simple bookkeeping clean-up.",
        "agreed_to_pay_students": "on",
        "agreed_to_terms": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_anonymous_registration_creates_a_login_a_pending_business_and_tells_staff(
    client, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("businesses:register"), registration_data())

    assert response.status_code == 302
    business = Business.objects.get()
    assert business.name == "Sunrise Bakery"
    assert business.status == BusinessStatus.PENDING
    assert business.website == "https://www.sunrise-bakery.example"
    assert business.website_domain == "sunrise-bakery.example"
    owner = User.objects.get(email="owner@bakery.example")
    assert owner.role == Role.BUSINESS
    assert owner.membership.business == business
    assert BusinessStatusChange.objects.get(business=business).to_status == BusinessStatus.PENDING
    staff_notice = Notification.objects.get(recipient=staff)
    assert staff_notice.kind == Kind.BUSINESS_REVIEW
    assert "Sunrise Bakery" in staff_notice.title
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(["owner@bakery.example", staff.email])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ein", "123456789", "two digits, a dash and seven digits"),
        ("contact_phone", "call me maybe", "Enter a phone number"),
        ("agreed_to_pay_students", None, "This field is required"),
        ("city", "", "tick &#x27;We work remotely only&#x27;"),
        ("password2", "different-password-here", "The two passwords don"),
        ("website", "not a url at all", "Enter a valid URL"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_everything_else(client, field, value, message):
    response = client.post(reverse("businesses:register"), registration_data(**{field: value}))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Rosa Diaz"' in content
    assert "Instagram content, a simple bookkeeping clean-up." in content
    assert not Business.objects.exists()
    assert not User.objects.exists()


def test_a_bare_domain_is_accepted_by_the_browser_and_stored_with_https(client):
    form_page = client.get(reverse("businesses:register")).content.decode()
    website_input = re.search(r'<input[^>]*name="website"[^>]*>', form_page).group(0)
    # type="url" would make the browser refuse "mybakery.com" although the server accepts it.
    assert 'type="text"' in website_input and 'inputmode="url"' in website_input

    client.post(reverse("businesses:register"), registration_data(website="mybakery.example"))

    assert Business.objects.get().website == "https://mybakery.example"


def test_the_error_banner_says_the_password_must_be_typed_again(client):
    response = client.post(reverse("businesses:register"), registration_data(name=""))

    content = response.content.decode()
    # The first field with an error, in the order shown, is where the cursor starts.
    assert re.search(r'<input type="text" name="name"[^>]*autofocus', content)
    assert content.count("autofocus") == 1
    assert "Everything else you typed is kept, except the password: enter it again in both password boxes." in content
    assert PASSWORD not in content
    assert 'value="Rosa Diaz"' in content


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"website": "https://sunrise-bakery.example/about"}, "already registered"),
        ({"ein": "12-3456789", "website": "https://other.example"}, "this EIN is already registered"),
    ],
)
def test_duplicate_organisations_are_caught_with_a_helpful_message(client, overrides, field_message):
    BusinessFactory(website="https://sunrise-bakery.example", website_domain="sunrise-bakery.example", ein="12-3456789")

    response = client.post(reverse("businesses:register"), registration_data(**overrides))

    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert Business.objects.count() == 1


def test_a_signed_in_business_user_registers_without_account_fields(client):
    user = UserFactory(role=Role.BUSINESS, full_name="Rosa Diaz")
    client.force_login(user)
    form_page = client.get(reverse("businesses:register")).content.decode()
    assert 'name="password1"' not in form_page
    assert 'value="Rosa Diaz"' in form_page

    response = client.post(
        reverse("businesses:register"), registration_data(email=None, password1=None, password2=None)
    )

    assert response["Location"] == reverse("businesses:dashboard")
    assert user.membership.business.status == BusinessStatus.PENDING
    dashboard = client.get(reverse("businesses:dashboard")).content.decode()
    assert "Your registration is being reviewed" in dashboard


def test_an_existing_email_is_told_to_log_in_first(client):
    UserFactory(email="owner@bakery.example")
    response = client.post(reverse("businesses:register"), registration_data())
    assert "An account with this email already exists" in response.content.decode()
    assert not Business.objects.exists()


def test_a_member_who_already_has_a_business_is_sent_to_the_dashboard(client):
    client.force_login(BusinessOwnerFactory())
    response = client.get(reverse("businesses:register"))
    assert response["Location"] == reverse("businesses:dashboard")

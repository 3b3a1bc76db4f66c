import re
from unittest.mock import ANY

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from businesses.enums import BusinessStatus
from businesses.models import Business
from notifications.enums import Kind
from notifications.models import Notification
from tests.factories import PASSWORD, BusinessFactory, BusinessOwnerFactory, StaffFactory, UserFactory
from tests.helpers import registration_data, status_changes

pytestmark = pytest.mark.django_db


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
    assert [change[1:3] for change in status_changes(business)] == [("", "pending")]
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


def count_password_hashing(monkeypatch) -> list:
    calls = []
    original = PBKDF2PasswordHasher.encode

    def encode(self, password, salt, iterations=None):
        calls.append(password)
        return original(self, password, salt, iterations)

    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", encode)
    return calls


def test_a_known_email_gets_the_same_answer_as_a_new_one_and_its_owner_an_email(monkeypatch):
    UserFactory(email="owner@bakery.example", role=Role.BUSINESS)
    hashing = count_password_hashing(monkeypatch)
    answers = {}
    for number, email in enumerate(["new@bakery.example", "owner@bakery.example"]):
        browser = Client()
        organisation = {"website": f"https://bakery-{number}.example", "ein": f"12-345678{number}"}
        response = browser.post(reverse("businesses:register"), registration_data(email=email, **organisation))
        page = browser.get(response["Location"])
        answers[email] = (
            response.status_code,
            response["Location"],
            sorted(response.cookies),
            page.content.decode().replace(email, "EMAIL"),
            [message.to for message in mail.outbox],
            len(hashing),
        )
        mail.outbox.clear()
        hashing.clear()

    assert answers["new@bakery.example"] == (302, ANY, ANY, ANY, [["new@bakery.example"]], 1)
    new_status, new_location, new_cookies, new_page, _, _ = answers["new@bakery.example"]
    assert answers["owner@bakery.example"] == (
        new_status,
        new_location,
        new_cookies,
        new_page,
        [["owner@bakery.example"]],
        1,
    )
    assert "follow the link we&#x27;ve emailed to EMAIL" in new_page
    assert Business.objects.count() == 1
    assert User.objects.get(email="owner@bakery.example").check_password(PASSWORD)
    assert not hasattr(User.objects.get(email="owner@bakery.example"), "membership")


def test_the_owner_of_a_known_email_is_told_to_log_in_and_register_from_there(client):
    UserFactory(email="owner@bakery.example", role=Role.BUSINESS)

    client.post(reverse("businesses:register"), registration_data())

    [message] = mail.outbox
    assert message.to == ["owner@bakery.example"]
    assert message.subject == "[Campus to Commerce] Register your organisation from your account"
    login_url = "https://c2c.test/accounts/login/?next=%2Fbusinesses%2Fregister%2F"
    assert login_url in message.body
    assert "https://c2c.test/accounts/password/reset/" in message.body
    [(html, content_type)] = message.alternatives
    assert content_type == "text/html"
    assert f'href="{login_url}"' in html.replace("&amp;", "&")
    # Nothing the form's sender typed reaches the inbox of someone else's address.
    assert "Sunrise" not in message.body and "Sunrise" not in html


def test_a_known_email_signs_in_and_registers_from_the_link(client):
    UserFactory(email="owner@bakery.example", role=Role.BUSINESS)
    client.post(reverse("businesses:register"), registration_data())
    login_path = re.search(r"https://c2c\.test(/accounts/login/\S+)", mail.outbox[0].body).group(1)

    response = client.post(login_path, {"login": "owner@bakery.example", "password": PASSWORD})
    assert response["Location"] == reverse("businesses:register")
    response = client.post(
        reverse("businesses:register"), registration_data(email=None, password1=None, password2=None)
    )

    assert response["Location"] == reverse("businesses:dashboard")
    assert User.objects.get(email="owner@bakery.example").membership.business.name == "Sunrise Bakery"


def test_a_bot_that_fills_the_hidden_field_is_answered_like_anyone_and_nothing_happens(client):
    page = client.get(reverse("businesses:register")).content.decode()
    field = re.search(r'<div[^>]*class="[^"]*hp-field[^"]*"[^>]*>.*?name="homepage"[^>]*>', page, re.S).group(0)
    assert 'aria-hidden="true"' in field
    assert 'tabindex="-1"' in field
    assert "style=" not in page

    response = client.post(reverse("businesses:register"), registration_data(homepage="https://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not User.objects.exists()
    assert not Business.objects.exists()
    assert mail.outbox == []


def test_the_form_is_limited_per_client_address_with_a_page_that_says_try_again_later(client):
    for _ in range(10):
        assert client.post(reverse("businesses:register"), {"name": "x"}).status_code == 200

    response = client.post(reverse("businesses:register"), registration_data())

    assert response.status_code == 429
    page = response.content.decode()
    assert "Please try again in a few minutes" in page
    assert "<title>Too many attempts · Campus to Commerce</title>" in page
    assert reverse("businesses:register") in page  # The site's own layout and navigation.
    assert not User.objects.exists()


def test_the_form_is_limited_per_email_address_whatever_the_client_address(client):
    UserFactory(email="owner@bakery.example")
    for number in range(5):
        response = client.post(
            reverse("businesses:register"), registration_data(), REMOTE_ADDR=f"198.51.100.{number + 1}"
        )
        assert response.status_code == 302

    response = client.post(reverse("businesses:register"), registration_data(), REMOTE_ADDR="198.51.100.99")

    assert response.status_code == 429
    other_email = client.post(
        reverse("businesses:register"),
        registration_data(email="someone-else@bakery.example"),
        REMOTE_ADDR="198.51.100.100",
    )
    assert other_email.status_code == 302


def test_a_member_who_already_has_a_business_is_sent_to_the_dashboard(client):
    client.force_login(BusinessOwnerFactory())
    response = client.get(reverse("businesses:register"))
    assert response["Location"] == reverse("businesses:dashboard")

"""Two-factor authentication: staff must use an authenticator app; students and owners may turn it on."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, UserFactory, client_for, totp_code
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
BUSINESS_QUEUE = "/admin/businesses/business/"


@pytest.fixture(autouse=True)
def frozen_clock():
    # A code is good for one 30-second step: a frozen clock keeps the step from turning mid-test.
    with time_machine.travel(datetime(2026, 12, 3, 15, 0, 7, tzinfo=UTC), tick=False):
        yield


def log_in(client, email, next_url=ADMIN):
    return client.post(f"{reverse('account_login')}?next={next_url}", {"login": email, "password": PASSWORD})


def open_enrolment(client):
    """allauth asks for the password again before turning the app on; returns the page with the new secret."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    return client.get(reverse("mfa_activate_totp"))


def assert_admin_refused(client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/")
    assert "Moderation" not in response.content.decode()


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_asks_for_the_code_after_the_password(client):
    staff = StaffFactory()

    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))

    response = log_in(client, staff.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Please enter an authenticator code" in page
    assert_admin_refused(client)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert response["Location"] == ADMIN
    assert is_signed_in(client)
    admin = client.get(ADMIN)
    assert admin.status_code == 200
    assert "Moderation" in admin.content.decode()


def test_a_wrong_code_signs_nobody_in(client):
    staff = StaffFactory()
    log_in(client, staff.email)
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not is_signed_in(client)
    assert_admin_refused(client)


def test_a_code_from_another_secret_is_refused(client):
    staff = StaffFactory()
    log_in(client, staff.email)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")})

    assert "Incorrect code" in response.content.decode()
    assert not is_signed_in(client)


def test_a_recovery_code_works_once_instead_of_the_app(client):
    staff = StaffFactory()
    code = RecoveryCodes.activate(staff).get_unused_codes()[0]

    log_in(client, staff.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200

    client.post(reverse("account_logout"))
    log_in(client, staff.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "Incorrect code" in response.content.decode()
    assert not is_signed_in(client)


def test_staff_without_an_authenticator_are_sent_to_set_one_up_before_any_admin_page(client):
    staff = StaffFactory(totp=False)
    response = log_in(client, staff.email)
    assert is_signed_in(client)  # Not enrolled yet: the password was the only factor there was.

    for path in [ADMIN, BUSINESS_QUEUE, reverse("home")]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    activate = client.get(ADMIN, follow=True).content.decode()
    assert "Staff accounts need two-factor authentication" in activate


# Transactional: allauth announces the new authenticator on commit, inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_enrolling_shows_a_qr_code_and_recovery_codes_and_then_the_admin_opens(client):
    staff = StaffFactory(totp=False)
    log_in(client, staff.email)
    page = open_enrolment(client)
    secret = page.context["form"].secret
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=staff).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=staff).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    assert len(codes) == 10
    # The code given to turn the app on counts for this session.
    assert client.get(ADMIN).status_code == 200


def test_a_staff_session_that_skipped_the_second_factor_is_asked_for_a_code(client):
    staff = StaffFactory()
    client.force_login(staff)  # Signed in some other way than through the code, e.g. made staff mid-session.

    response = client.get(BUSINESS_QUEUE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2Fbusinesses%2Fbusiness%2F"
    resume_owner = StudentProfileFactory()
    assert client.get(reverse("students:applicant", args=[resume_owner.pk])).status_code == 302

    response = client.post(response["Location"], {"code": totp_code()})

    assert response["Location"] == BUSINESS_QUEUE
    assert client.get(BUSINESS_QUEUE).status_code == 200


def test_staff_cannot_turn_their_authenticator_off(client):
    staff = StaffFactory()
    log_in(client, staff.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert "You cannot deactivate two-factor authentication" in response.content.decode()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_a_student_turns_it_on_from_their_account_page_and_is_then_asked_for_a_code(client):
    student = UserFactory()
    log_in(client, student.email, next_url="/")
    account = client.get(reverse("account_email")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in account
    assert reverse("account_email") in client.get(reverse("home")).content.decode()
    page = open_enrolment(client)
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    client.post(reverse("account_logout"))

    response = log_in(client, student.email, next_url="/")

    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)


def test_students_and_owners_without_it_sign_in_with_their_password(client):
    student = UserFactory()

    response = log_in(client, student.email, next_url="/")

    assert response["Location"] == "/"
    assert is_signed_in(client)


@pytest.mark.django_db(transaction=True)
def test_first_staff_account_in_production_createsuperuser_then_confirm_email_then_enrol(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", "--email", "founder@c2c.example")
    founder = User.objects.get(email="founder@c2c.example")
    assert founder.is_staff and founder.is_superuser

    response = log_in(client, founder.email)
    assert response["Location"] == reverse("account_email_verification_sent")
    link = re.search(r"https://c2c\.test(/accounts/confirm-email/[^\s/]+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    assert is_signed_in(client)
    assert client.get(ADMIN)["Location"] == reverse("mfa_activate_totp")

    page = open_enrolment(client)
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(page.context["form"].secret)})

    assert client.get(ADMIN).status_code == 200


def test_staff_see_who_has_an_authenticator_and_can_remove_a_lost_one_but_never_its_secret(staff_client):
    colleague = StaffFactory(email="colleague@c2c.example")
    RecoveryCodes.activate(colleague)
    authenticator = Authenticator.objects.get(user=colleague, type=Authenticator.Type.TOTP)
    change_url = reverse("admin:mfa_authenticator_change", args=[authenticator.pk])

    listing = staff_client.get(f"{reverse('admin:mfa_authenticator_changelist')}?q=colleague").content.decode()
    page = staff_client.get(change_url).content.decode()

    assert "colleague@c2c.example" in listing
    assert TOTP_SECRET not in page and TOTP_SECRET not in listing
    assert 'name="data"' not in page
    delete_url = reverse("admin:mfa_authenticator_delete", args=[authenticator.pk])
    staff_client.post(delete_url, {"post": "yes"})
    # The lost phone's recovery codes go with it; the colleague sets up a new app at their next visit.
    assert not Authenticator.objects.filter(user=colleague).exists()
    assert client_for(colleague).get(ADMIN)["Location"] == reverse("mfa_activate_totp")

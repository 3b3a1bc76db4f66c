import base64
import hashlib
import hmac
import struct
import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.test import Client, RequestFactory

from accounts import second_factor
from accounts.enums import Role
from accounts.models import User
from businesses.enums import BusinessStatus, Industry, OrganisationSize, OrganisationType
from businesses.models import Business, Membership

PASSWORD = "correct-horse-battery-staple"
# Base32, as authenticator apps take it; tests compute codes from it with totp_code().
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.STUDENT
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    """A staff member with an authenticator app set up (TOTP_SECRET), as every staff member must have.

    `StaffFactory(totp=False)` is one who hasn't set it up yet. Sign them in with `sign_in` or `client_for`.
    """

    role = Role.STAFF
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            enrol_totp(obj)


def totp_code(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    """The code an authenticator app shows (RFC 6238: HMAC-SHA1, 30-second steps, six digits)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def enrol_totp(user) -> Authenticator:
    return Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)})


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    name = factory.Sequence(lambda n: f"Organisation {n}")
    org_type = OrganisationType.SMALL_BUSINESS
    industry = Industry.RETAIL
    size = OrganisationSize.MICRO
    website = factory.Sequence(lambda n: f"https://org{n}.example.org")
    website_domain = factory.LazyAttribute(lambda o: o.website.split("//")[1])
    city = "Dayton"
    state = "OH"
    contact_name = factory.Faker("name")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    agreed_to_pay_students = True
    agreed_to_terms = True
    status = BusinessStatus.APPROVED


class BusinessOwnerFactory(UserFactory):
    role = Role.BUSINESS

    @factory.post_generation
    def business(obj, create, extracted, **kwargs):
        if create:
            Membership.objects.create(user=obj, business=extracted or BusinessFactory(**kwargs), title="Owner")


def sign_in(client, user):
    """Sign `client` in as `user`; someone with an authenticator app also counts as having given a code from it.

    The quick way for tests that are about something else (the two-factor steps themselves are tested in
    tests/accounts/test_two_factor.py): a staff session without the second step opens no staff page.
    """
    client.force_login(user)
    authenticator = Authenticator.objects.filter(user=user, type__in=second_factor.SECOND_FACTOR_TYPES).first()
    if authenticator is not None:
        request = RequestFactory().get("/")
        request.session = client.session
        request.user = user
        second_factor.record_second_factor(request, authenticator)
        request.session.save()
    return client


def client_for(user):
    """A second, separately signed-in browser, e.g. staff acting while the test's `client` is someone else."""
    return sign_in(Client(), user)

import factory
from allauth.account.models import EmailAddress

from accounts.enums import Role
from accounts.models import User
from businesses.enums import BusinessStatus, Industry, OrganisationSize, OrganisationType
from businesses.models import Business, Membership

PASSWORD = "correct-horse-battery-staple"


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
    role = Role.STAFF
    is_staff = True
    is_superuser = True


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


def client_for(user):
    """A second, separately signed-in browser, e.g. staff acting while the test's `client` is someone else."""
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other

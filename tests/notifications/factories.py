import factory

from notifications.enums import Channel, Frequency, Kind, PreferenceSource
from notifications.models import Notification, NotificationPreference
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification shown in the inbox and emailed right away, as before preferences existed."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Kind.ACCOUNT
    title = factory.Sequence(lambda n: f"Update {n}")


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    kind = Kind.NEW_MATCH
    channel = Channel.EMAIL
    frequency = Frequency.OFF
    changed_via = PreferenceSource.PAGE

import pytest
from django.urls import reverse

from notifications.enums import Kind
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_notifications(user, count, **kwargs):
    return Notification.objects.bulk_create(
        Notification(recipient=user, kind=Kind.ACCOUNT, title=f"Update {i}", **kwargs) for i in range(count)
    )


def test_inbox_lists_only_my_notifications_with_the_unread_count_in_the_navbar(client):
    me, someone_else = UserFactory(), UserFactory()
    make_notifications(me, 3)
    Notification.objects.create(recipient=someone_else, kind=Kind.ACCOUNT, title="Someone else's secret")
    client.force_login(me)

    content = client.get(reverse("notifications:inbox")).content.decode()

    assert content.count("Update ") == 3
    assert "Someone else's secret" not in content
    assert '3<span class="visually-hidden"> unread</span>' in content


def test_inbox_paginates_with_a_constant_number_of_queries(client, django_assert_max_num_queries):
    me = UserFactory()
    make_notifications(me, 60)
    client.force_login(me)
    with django_assert_max_num_queries(6):
        first = client.get(reverse("notifications:inbox")).content.decode()
    with django_assert_max_num_queries(6):
        client.get(reverse("notifications:inbox") + "?page=3")
    assert first.count("Update ") == 25
    assert "Page 1 of 3" in first


def test_empty_inbox_says_what_will_appear_there(client):
    client.force_login(UserFactory())
    assert "No notifications yet." in client.get(reverse("notifications:inbox")).content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    me = UserFactory()
    notification = Notification.objects.create(recipient=me, kind=Kind.ACCOUNT, title="Hi", url="/businesses/register/")
    client.force_login(me)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == "/businesses/register/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_a_404_and_stays_unread(client):
    notification = Notification.objects.create(recipient=UserFactory(), kind=Kind.ACCOUNT, title="Private")
    client.force_login(UserFactory())

    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_says_how_many(client):
    me = UserFactory()
    make_notifications(me, 2)
    client.force_login(me)
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Marked 2 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_inbox_needs_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.enums import Channel, EmailStatus, Frequency, Kind, PreferenceSource
from notifications.models import Notification, NotificationPreference
from notifications.selectors import unread_count
from notifications.services import notify, send_digests
from tests.factories import BusinessOwnerFactory, StaffFactory, UserFactory, sign_in
from tests.notifications.factories import PreferenceFactory

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")


def choices_on(page: str) -> dict[str, str]:
    """Each select on the page → the option shown as chosen."""
    return dict(re.findall(r'<select name="([^"]+)"[^>]*>.*?<option value="([^"]+)" selected>', page, re.S))


def everything_as_shown(client) -> dict[str, str]:
    return choices_on(client.get(PREFERENCES).content.decode())


# --- Defaults ---------------------------------------------------------------------------


def test_a_new_match_waits_for_the_daily_email_digest_but_shows_in_the_inbox_now(django_capture_on_commit_callbacks):
    student = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=student, kind=Kind.NEW_MATCH, title="A bakery needs a social media plan")

    assert mail.outbox == []
    assert notification.email_status == EmailStatus.DIGEST
    assert notification.email_frequency == Frequency.DAILY
    assert unread_count(student) == 1


def test_an_application_decision_is_emailed_right_away(django_capture_on_commit_callbacks):
    student = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=student, kind=Kind.APPLICATION_DECISION, title="You got the offer")

    assert [(m.to, m.subject) for m in mail.outbox] == [([student.email], "You got the offer")]
    assert unread_count(student) == 1


def test_notify_costs_one_extra_query_for_preferences(django_assert_num_queries):
    student = UserFactory()
    PreferenceFactory(user=student, kind=Kind.ENGAGEMENT, channel=Channel.EMAIL, frequency=Frequency.WEEKLY)
    with django_assert_num_queries(2):  # the user's choices for this kind, then the insert
        notify(recipient=student, kind=Kind.ENGAGEMENT, title="New message")


# --- What notify does with each choice ------------------------------------------------------


def test_email_off_sends_nothing_but_the_inbox_still_shows_it(django_capture_on_commit_callbacks):
    student = UserFactory()
    PreferenceFactory(user=student, kind=Kind.PAYMENT, channel=Channel.EMAIL, frequency=Frequency.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=student, kind=Kind.PAYMENT, title="You were paid $400")

    assert mail.outbox == []
    assert notification.email_status == EmailStatus.SKIPPED
    assert unread_count(student) == 1


def test_in_app_off_keeps_the_record_but_never_shows_it(client, django_capture_on_commit_callbacks):
    student = UserFactory()
    PreferenceFactory(user=student, kind=Kind.FEEDBACK, channel=Channel.IN_APP, frequency=Frequency.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=student, kind=Kind.FEEDBACK, title="Maya left you a reference")
    send_digests(frequency=Frequency.DAILY)
    send_digests(frequency=Frequency.WEEKLY)

    client.force_login(student)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Maya left you a reference" not in inbox
    assert "No notifications yet." in inbox
    assert unread_count(student) == 0
    assert Notification.objects.filter(recipient=student, title="Maya left you a reference").exists()
    assert [m.subject for m in mail.outbox] == ["Maya left you a reference"]  # the email still goes out


def test_in_app_daily_items_appear_together_when_the_daily_digest_goes_out(client):
    student = UserFactory()
    PreferenceFactory(user=student, kind=Kind.ENGAGEMENT, channel=Channel.IN_APP, frequency=Frequency.DAILY)
    notify(recipient=student, kind=Kind.ENGAGEMENT, title="Deliverable accepted")
    notify(recipient=student, kind=Kind.ENGAGEMENT, title="New message from Rosa")
    notify(recipient=student, kind=Kind.PAYMENT, title="You were paid")
    client.force_login(student)

    before = client.get(reverse("notifications:inbox")).content.decode()
    assert "You were paid" in before
    assert "Deliverable accepted" not in before
    assert '1<span class="visually-hidden"> unread</span>' in before

    send_digests(frequency=Frequency.WEEKLY)
    assert unread_count(student) == 1
    send_digests(frequency=Frequency.DAILY)

    after = client.get(reverse("notifications:inbox")).content.decode()
    assert '3<span class="visually-hidden"> unread</span>' in after
    # Shown together, newest digest first, above what was already there.
    assert after.index("New message from Rosa") < after.index("Deliverable accepted") < after.index("You were paid")


def test_a_hidden_notification_cannot_be_opened_by_guessing_its_id(client):
    student = UserFactory()
    PreferenceFactory(user=student, kind=Kind.FEEDBACK, channel=Channel.IN_APP, frequency=Frequency.WEEKLY)
    notification = notify(recipient=student, kind=Kind.FEEDBACK, title="Not yet")
    client.force_login(student)

    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    notification.refresh_from_db()
    assert notification.read_at is None


# --- The preferences page --------------------------------------------------------------------


def test_preferences_need_login(client):
    response = client.get(PREFERENCES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_inbox_links_to_the_preferences(client):
    client.force_login(UserFactory())
    assert f'href="{PREFERENCES}"' in client.get(reverse("notifications:inbox")).content.decode()


def test_a_student_sees_student_kinds_with_the_defaults_and_account_email_fixed(client, django_assert_num_queries):
    client.force_login(UserFactory())
    # Session, user, the user's choices, unread count.
    with django_assert_num_queries(4):
        page = client.get(PREFERENCES).content.decode()

    assert page.count("<h1") == 1
    assert "<title>Notification preferences" in page
    shown = choices_on(page)
    assert shown["new_match__email"] == Frequency.DAILY
    assert shown["new_match__in_app"] == Frequency.IMMEDIATE
    assert shown["application_decision__email"] == Frequency.IMMEDIATE
    assert "account__email" not in shown
    assert shown["account__in_app"] == Frequency.IMMEDIATE
    assert "always on, for your account's security" in page
    for kind in (Kind.NEW_MATCH, Kind.INVITATION, Kind.APPLICATION_DECISION, Kind.PAYMENT, Kind.ACCOUNT):
        assert Kind(kind).label in page
    for kind in (Kind.NEW_APPLICATION, Kind.PROJECT_REVIEW, Kind.PAYMENT_OVERDUE):
        assert f"{kind}__email" not in shown
    assert 'for="id_new_match__email"' in page
    # Each kind's fieldset is named by its legend, which HTML requires to be the fieldset's first child.
    fieldsets = re.findall(r"<fieldset[^>]*>\s*(<[^>]+>)([^<]*)", page)
    assert len(fieldsets) >= 5
    assert all(tag.startswith("<legend") for tag, _ in fieldsets), fieldsets


def test_a_business_member_sees_business_kinds(client):
    client.force_login(BusinessOwnerFactory())
    shown = everything_as_shown(client)
    assert shown["application_reminder__email"] == Frequency.DAILY
    assert {"new_application__email", "offer_response__in_app", "business_decision__email"} <= shown.keys()
    assert "new_match__email" not in shown
    assert "project_review__email" not in shown


def test_staff_see_the_review_kinds(client):
    sign_in(client, StaffFactory())
    shown = everything_as_shown(client)
    assert {"business_review__email", "project_review__email", "project_report__email", "payment_overdue__email"} <= (
        shown.keys()
    )
    assert "new_match__email" not in shown
    assert "account__in_app" in shown


def test_saving_stores_only_what_differs_from_the_defaults(client):
    student = UserFactory()
    client.force_login(student)
    form = everything_as_shown(client)
    form.update({"new_match__email": Frequency.WEEKLY, "payment__in_app": Frequency.OFF})

    response = client.post(PREFERENCES, form, follow=True)

    assert "Your notification preferences are saved." in response.content.decode()
    assert set(NotificationPreference.objects.filter(user=student).values_list("kind", "channel", "frequency")) == {
        (Kind.NEW_MATCH, Channel.EMAIL, Frequency.WEEKLY),
        (Kind.PAYMENT, Channel.IN_APP, Frequency.OFF),
    }
    assert choices_on(response.content.decode()) == form

    # Going back to the default removes the override.
    form["new_match__email"] = Frequency.DAILY
    client.post(PREFERENCES, form)
    assert list(NotificationPreference.objects.filter(user=student).values_list("kind", flat=True)) == [Kind.PAYMENT]


def test_saving_the_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    client.force_login(UserFactory())
    form = everything_as_shown(client)
    form.update({"new_match__email": Frequency.WEEKLY, "invitation__in_app": Frequency.DAILY})
    # Session, user, choices for the form, then in a savepoint: choices again, one upsert, and
    # one update per changed choice for items waiting for a digest.
    with django_assert_num_queries(9):
        client.post(PREFERENCES, form)


def test_a_bad_choice_saves_nothing_and_keeps_what_was_picked(client):
    student = UserFactory()
    client.force_login(student)
    form = everything_as_shown(client)
    form.update({"new_match__email": "hourly", "payment__email": Frequency.OFF})

    response = client.post(PREFERENCES, form)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in page
    assert "Select a valid choice. hourly is not one of the available choices." in page
    assert 'class="form-select form-select-sm is-invalid"' in page
    assert choices_on(page)["payment__email"] == Frequency.OFF
    assert not NotificationPreference.objects.filter(user=student).exists()


def test_account_email_cannot_be_turned_off_even_by_a_forged_post(client, django_capture_on_commit_callbacks):
    student = UserFactory()
    client.force_login(student)
    form = everything_as_shown(client) | {"account__email": Frequency.OFF}
    client.post(PREFERENCES, form)

    assert not NotificationPreference.objects.filter(user=student).exists()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=student, kind=Kind.ACCOUNT, title="Your password was changed")
    assert [m.subject for m in mail.outbox] == ["Your password was changed"]


def test_turning_email_off_drops_items_waiting_for_the_digest(client, django_capture_on_commit_callbacks):
    student = UserFactory()
    notify(recipient=student, kind=Kind.NEW_MATCH, title="A match")
    client.force_login(student)
    client.post(PREFERENCES, everything_as_shown(client) | {"new_match__email": Frequency.OFF})

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(frequency=Frequency.DAILY) == 0
    assert mail.outbox == []
    preference = NotificationPreference.objects.get(user=student)
    assert preference.changed_via == PreferenceSource.PAGE


def test_moving_to_the_weekly_digest_takes_waiting_items_along(client, django_capture_on_commit_callbacks):
    student = UserFactory()
    notify(recipient=student, kind=Kind.NEW_MATCH, title="A match")
    client.force_login(student)
    client.post(PREFERENCES, everything_as_shown(client) | {"new_match__email": Frequency.WEEKLY})

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(frequency=Frequency.DAILY) == 0
        assert send_digests(frequency=Frequency.WEEKLY) == 1
    assert [m.subject for m in mail.outbox] == ["Your weekly digest: 1 update"]


def test_switching_in_app_to_right_away_shows_waiting_items_now(client):
    student = UserFactory()
    PreferenceFactory(user=student, kind=Kind.ENGAGEMENT, channel=Channel.IN_APP, frequency=Frequency.WEEKLY)
    notify(recipient=student, kind=Kind.ENGAGEMENT, title="Deliverable accepted")
    client.force_login(student)
    assert unread_count(student) == 0

    client.post(PREFERENCES, everything_as_shown(client) | {"engagement__in_app": Frequency.IMMEDIATE})

    assert unread_count(student) == 1

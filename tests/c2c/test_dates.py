"""Deadlines show the time in the site's time zone; <time datetime> values are valid HTML (no microseconds)."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from c2c.dates import deadline, machine_readable
from notifications.models import Notification
from projects import services
from projects.enums import ApplicationStatus
from tests.factories import BusinessOwnerFactory
from tests.projects.factories import ApplicationFactory

TODAY = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


@time_machine.travel(TODAY, tick=False)
def test_a_deadline_reads_as_a_day_a_time_and_the_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    assert deadline(datetime(2026, 12, 8, 22, 0, tzinfo=UTC)) == "Tue 8 Dec, 5:00 p.m. EST"
    # A date-only deadline (apply by) passes at the end of that day.
    assert deadline(date(2026, 12, 8)) == "Tue 8 Dec, 11:59 p.m. EST"
    assert deadline(date(2027, 7, 9)) == "Fri 9 Jul 2027, 11:59 p.m. EDT"
    settings.TIME_ZONE = "America/Los_Angeles"
    assert deadline(datetime(2026, 12, 8, 22, 0, tzinfo=UTC)) == "Tue 8 Dec, 2:00 p.m. PST"


def test_a_time_element_gets_whole_seconds_with_the_offset(settings):
    settings.TIME_ZONE = "America/New_York"
    assert machine_readable(datetime(2026, 12, 8, 22, 0, 5, 123456, tzinfo=UTC)) == "2026-12-08T17:00:05-05:00"
    assert machine_readable(date(2026, 12, 8)) == "2026-12-08"
    assert machine_readable(None) == ""


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_an_offer_says_until_what_time_in_the_page_and_the_email(client, settings):
    settings.TIME_ZONE = "America/New_York"
    application = ApplicationFactory()
    owner = BusinessOwnerFactory(business=application.project.business)
    services.transition_application(
        application=application,
        to_status=ApplicationStatus.OFFERED,
        actor=owner,
        now=datetime(2026, 12, 3, 22, 0, 0, 654321, tzinfo=UTC),
    )

    email = Notification.objects.get(recipient=application.student)
    assert "Please accept or decline by Tue 8 Dec, 5:00 p.m. EST." in email.body
    client.force_login(application.student)
    for url in (reverse("projects:application", args=[application.pk]), reverse("projects:my_applications")):
        content = client.get(url).content.decode()
        assert '<time datetime="2026-12-08T17:00:00-05:00">Tue 8 Dec, 5:00 p.m. EST</time>' in content
        datetimes = re.findall(r'<time datetime="([^"]+)"', content)
        assert datetimes and not [value for value in datetimes if re.search(r"\.\d", value)], datetimes


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_waiting_application_says_when_it_closes_by_itself(client, settings):
    settings.TIME_ZONE = "America/New_York"
    settings.C2C_APPLICATION_EXPIRY_DAYS = 21
    application = ApplicationFactory(status_changed_at=datetime(2026, 12, 1, 17, 30, tzinfo=UTC))
    client.force_login(application.student)

    content = client.get(reverse("projects:application", args=[application.pk])).content.decode()

    assert "if they haven't decided by <time" in content
    assert ">Tue 22 Dec, 12:30 p.m. EST</time>, we close the application and tell you." in content


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_project_says_applications_close_at_the_end_of_its_apply_by_day(client, settings):
    settings.TIME_ZONE = "America/New_York"
    application = ApplicationFactory(project__apply_by=date(2026, 12, 10))
    client.force_login(application.student)

    content = client.get(reverse("projects:detail", args=[application.project.pk])).content.decode()

    assert '<time datetime="2026-12-10">Thu 10 Dec, 11:59 p.m. EST</time>' in content

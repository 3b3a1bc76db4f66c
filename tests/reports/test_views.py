"""The impact report page, its exports and the command: staff only, the same numbers everywhere."""

import csv
import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import BusinessOwnerFactory, StaffFactory, UserFactory
from tests.helpers import signed_in_client
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

PERIOD = {"since": "2026-01-01", "until": "2026-03-31"}


def students_joined(count: int, day: date):
    for _ in range(count):
        user = UserFactory()
        User.objects.filter(pk=user.pk).update(date_joined=timezone.make_aware(datetime(day.year, day.month, day.day)))
        StudentProfileFactory(user=user, onboarding_completed_at=None)


@pytest.mark.parametrize("who", ["anonymous", "student", "owner"])
@pytest.mark.parametrize("name", ["reports:impact", "reports:figures_csv", "reports:monthly_csv"])
def test_only_staff_see_the_report(client, who, name):
    if who != "anonymous":
        client = signed_in_client({"student": UserFactory, "owner": BusinessOwnerFactory}[who]())

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_see_the_figures_with_charts_and_tables_in_a_bounded_number_of_queries(django_assert_max_num_queries):
    students_joined(6, date(2026, 2, 1))
    client = signed_in_client(StaffFactory())

    with django_assert_max_num_queries(20):
        response = client.get(reverse("reports:impact"), PERIOD)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row">Signed up</th><td>6</td>' in page
    assert page.count('<svg class="impact-chart"') == 7  # students, businesses, two a month, three groups
    assert '<title id="students-chart-title">Students at each step</title>' in page
    assert "Signed up: 6." in page  # the chart's text alternative
    assert "Nothing happened in this period" not in page


def test_an_empty_period_says_so(client):
    client = signed_in_client(StaffFactory())

    page = client.get(reverse("reports:impact"), {"since": "2020-01-01", "until": "2020-01-31"}).content.decode()

    assert "Nothing happened in this period" in page


def test_a_period_that_ends_before_it_starts_is_refused_and_the_form_keeps_what_was_typed():
    client = signed_in_client(StaffFactory())

    page = client.get(reverse("reports:impact"), {"since": "2026-03-01", "until": "2026-01-01"}).content.decode()

    assert "The end date must be on or after the start date." in page
    assert 'value="2026-03-01"' in page


def test_the_csv_the_page_and_the_command_agree():
    students_joined(3, date(2026, 2, 1))
    students_joined(6, date(2026, 3, 1))
    client = signed_in_client(StaffFactory())

    exported = client.get(reverse("reports:figures_csv"), PERIOD)
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    printed = io.StringIO()
    call_command("impact_report", "--since", "2026-01-01", "--until", "2026-03-31", "--csv", stdout=printed)

    assert exported["Content-Disposition"] == 'attachment; filename="impact-2026-01-01-to-2026-03-31.csv"'
    assert rows[0] == ["figure", "group", "value"]
    assert ["Signed up", "All students", "9"] in rows
    assert list(csv.reader(io.StringIO(printed.getvalue()))) == rows


def test_small_groups_stay_hidden_in_the_export():
    students_joined(3, date(2026, 2, 1))
    client = signed_in_client(StaffFactory())

    rows = list(csv.reader(io.StringIO(client.get(reverse("reports:figures_csv"), PERIOD).content.decode())))

    assert ["Signed up", "All students", "fewer than 5"] in rows
    assert ["Signed up", "School type: Community college", "fewer than 5"] in rows


def test_the_monthly_csv_has_a_row_per_month():
    students_joined(1, date(2026, 2, 1))
    client = signed_in_client(StaffFactory())

    response = client.get(reverse("reports:monthly_csv"), PERIOD)

    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["month", "placements", "paid to students (USD)"],
        ["2026-01", "0", "0.00"],
        ["2026-02", "0", "0.00"],
        ["2026-03", "0", "0.00"],
    ]


def test_the_command_prints_the_figures_by_group():
    students_joined(6, date(2026, 2, 1))
    printed = io.StringIO()

    call_command("impact_report", "--since", "2026-01-01", "--until", "2026-03-31", stdout=printed)

    text = printed.getvalue()
    assert text.startswith("Impact from 2026-01-01 to 2026-03-31\n")
    assert "\nAll students\n  Signed up: 6\n" in text

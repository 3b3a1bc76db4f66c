"""Every figure of the impact report, built from records with known answers."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from activity.services import record_status_change
from engagements.enums import EngagementStatus
from projects.enums import ApplicationStatus, Category
from projects.models import Application
from reports.figures import Period, impact_report
from students.enums import SchoolType
from students.models import StudentProfile
from tests.engagements.factories import EngagementFactory
from tests.factories import BusinessFactory, UserFactory
from tests.projects.factories import ApplicationFactory, ProjectFactory
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

Q1 = Period(since=date(2026, 1, 1), until=date(2026, 3, 31))
FEB = date(2026, 2, 1)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def shown(figures, name: str, group: str | None = None) -> str:
    [figure] = [f for f in figures if f.name == name and (group is None or f.group == group)]
    return figure.shown


def student(joined: datetime | None = None, *, finished: datetime | None = None, **profile) -> User:
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(date_joined=joined or at(FEB))
    StudentProfileFactory(user=user, onboarding_completed_at=finished, **profile)
    return user


def application(user, *, applied: datetime, answered: datetime | None = None, offered: datetime | None = None, **kw):
    made = ApplicationFactory(student=user, **kw)
    Application.objects.filter(pk=made.pk).update(created_at=applied, first_response_at=answered)
    if offered:
        record_status_change(actor=None, target=made, from_state="submitted", to_state="offered", at=offered)
    return made


def placement(user, *, fee="1200", started=None, completed=None, sent=None, received=None, **project):
    return EngagementFactory(
        application__student=user,
        project__fee=Decimal(fee),
        started_at=started or at(FEB),
        completed_at=completed,
        status=EngagementStatus.COMPLETED if completed else EngagementStatus.ACTIVE,
        payment_sent_at=sent,
        payment_received_at=received,
        **{f"project__{name}": value for name, value in project.items()},
    )


def full_journey(user, fee="1200"):
    StudentProfile.objects.filter(user=user).update(onboarding_completed_at=at(date(2026, 2, 2)))
    application(user, applied=at(date(2026, 2, 3)), offered=at(date(2026, 2, 4)), status=ApplicationStatus.ACCEPTED)
    placement(
        user,
        fee=fee,
        started=at(date(2026, 2, 5)),
        completed=at(date(2026, 3, 1)),
        sent=at(date(2026, 3, 2)),
        received=at(date(2026, 3, 3)),
    )


def test_the_student_funnel_counts_each_step_taken_in_the_period_and_not_outside_it():
    users = [student() for _ in range(6)]
    student(timezone.make_aware(datetime(2026, 1, 1, 0, 0)))  # the first moment of the period counts
    student(timezone.make_aware(datetime(2026, 4, 1, 0, 0)))  # the first moment after it doesn't
    for user in users[:5]:
        full_journey(user)

    funnel = impact_report(Q1).student_funnel

    assert [(figure.name, figure.shown) for figure in funnel] == [
        ("Signed up", "7"),
        ("Finished their profile", "5"),
        ("Applied", "5"),
        ("Were offered a project", "5"),
        ("Were placed", "5"),
        ("Completed the work", "5"),
        ("Were paid (both sides confirmed)", "5"),
    ]


def test_one_to_four_people_read_fewer_than_5_and_none_reads_0():
    for _ in range(3):
        student()

    funnel = impact_report(Q1).student_funnel

    assert [figure.shown for figure in funnel] == ["fewer than 5", "0", "0", "0", "0", "0", "0"]
    assert funnel[0].value is None


def test_money_and_time():
    fees = ["300", "400", "500", "600", "1200"]  # 4 weeks x 10 hours each: $7.50 to $30 an hour
    for index, fee in enumerate(fees):
        user = student()
        placement(
            user,
            fee=fee,
            started=at(date(2026, 1, 10)),
            completed=at(date(2026, 2, 1)),
            sent=at(date(2026, 2, 2)),
            # the last one confirmed 20 days after completion: paid, but not within the 14-day window
            received=at(date(2026, 2, 3) if index < 4 else date(2026, 2, 21)),
        )
    waits = [1, 2, 3, 8, 10]
    for index, days in enumerate(waits):
        application(
            student(),
            applied=at(date(2026, 2, 1)),
            answered=at(date(2026, 2, 1) + timedelta(days=days)),
            offered=at(date(2026, 2, 1) + timedelta(days=days)),
            status=ApplicationStatus.ACCEPTED if index < 2 else ApplicationStatus.DECLINED,
        )

    money = impact_report(Q1).money_and_time

    assert [(figure.name, figure.shown) for figure in money] == [
        ("Total paid to students", "$3,000"),
        ("Median fee", "$500"),
        ("Median effective hourly rate", "$12.50"),
        ("Median days from application to first answer", "3.0 days"),
        ("Applications answered within 7 days", "60%"),
        ("Offers accepted", "40%"),
        ("Completed work confirmed paid within 14 days", "80%"),
    ]


def test_a_period_with_nothing_in_it_says_so_without_dividing_by_zero():
    full_journey(student())

    report = impact_report(Period(since=date(2025, 1, 1), until=date(2025, 1, 31)))

    assert not report.has_activity
    assert {figure.shown for figure in report.student_funnel} == {"0"}
    assert [figure.shown for figure in report.money_and_time] == ["$0"] + ["no data"] * 6
    assert [row["placements_shown"] for row in report.monthly] == ["0"]


def test_groups_split_the_funnel_and_hide_small_groups():
    community = [student(school_type=SchoolType.COMMUNITY_COLLEGE, hours_per_week=8) for _ in range(5)]
    four_year = [student(school_type=SchoolType.FOUR_YEAR, hours_per_week=25) for _ in range(2)]
    for user in community:
        full_journey(user, fee="300")
    full_journey(four_year[0], fee="1500")

    groups = impact_report(Q1).groups

    by_school = {group.label: group for group in groups["School type"]}
    cc = by_school["Community college"]
    assert [figure.shown for figure in cc.stages] == ["5", "5", "5", "5", "5", "5", "5"]
    assert cc.paid_share.shown == "50%"  # $1,500 of $3,000
    assert {figure.shown for figure in by_school["4-year college or university"].stages} == {"fewer than 5"}
    assert by_school["4-year college or university"].paid_share.shown == "fewer than 5"
    by_hours = {group.label: group for group in groups["Hours a week they can work"]}
    assert by_hours["10 hours or fewer"].stages[0].shown == "5"
    assert by_hours["Over 20 hours"].stages[0].shown == "fewer than 5"
    by_experience = {group.label: group for group in groups["First-time or returning"]}
    assert by_experience["First micro-internship"].stages[4].shown == "6"


def test_a_student_placed_before_the_period_counts_as_returning():
    returning = [student() for _ in range(5)]
    for user in returning:
        placement(user, started=at(date(2025, 6, 1)))
        full_journey(user)

    groups = {group.label: group for group in impact_report(Q1).groups["First-time or returning"]}

    assert groups["Returning students"].stages[4].shown == "5"
    assert groups["First micro-internship"].stages[4].shown == "0"


def test_the_business_funnel():
    businesses = [BusinessFactory() for _ in range(6)]
    for business in businesses:
        type(business).objects.filter(pk=business.pk).update(created_at=at(FEB))
        record_status_change(actor=None, target=business, from_state="pending", to_state="approved", at=at(FEB))
    for business in businesses[:5]:
        project = ProjectFactory(business=business, published_at=at(FEB))
        EngagementFactory(project=project, started_at=at(date(2026, 2, 10)))
    for business in businesses[:5]:
        EngagementFactory(
            project=ProjectFactory(business=business, published_at=at(FEB)), started_at=at(date(2026, 3, 1))
        )

    funnel = impact_report(Q1).business_funnel

    assert [(figure.name, figure.shown) for figure in funnel] == [
        ("Registered", "6"),
        ("Were approved", "6"),
        ("Posted a project", "5"),
        ("Hired a student", "5"),
        ("Hired a student again", "5"),
    ]


def test_a_category_narrows_the_work_figures_to_its_projects():
    for _ in range(5):
        full_journey(student())
    data_student = student()
    placement(data_student, fee="900", started=at(FEB), category=Category.DATA)

    report = impact_report(Period(since=Q1.since, until=Q1.until, category=Category.DATA))

    assert shown(report.student_funnel, "Were placed") == "fewer than 5"
    assert shown(report.money_and_time, "Total paid to students") == "$0"


def test_the_monthly_series_counts_placements_and_money_by_month():
    for _ in range(5):
        full_journey(student(), fee="400")

    monthly = impact_report(Q1).monthly

    assert [(row["month"], row["placements_shown"], row["paid"]) for row in monthly] == [
        (date(2026, 1, 1), "0", Decimal(0)),
        (date(2026, 2, 1), "5", Decimal(0)),
        (date(2026, 3, 1), "0", Decimal("2000")),
    ]

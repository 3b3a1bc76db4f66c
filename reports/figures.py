"""The impact report's figures, computed from the records (the activity log says when things happened).

Every figure counts what happened in the chosen period: a student is "placed" in it if their engagement
started in it, "paid" if the student confirmed receipt in it (after the business confirmed sending), and so
on, so the stages of a funnel need not be nested. A count of people from 1 to 4 is shown as "fewer than 5",
and so is every figure of a group of 1 to 4 people, in the page and in the exports (nobody can be picked
out of a count of none, so 0 shows as 0).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import Extract
from django.utils import timezone

from accounts.enums import Role
from activity.enums import Verb
from activity.models import ActivityLog
from businesses.enums import BusinessStatus
from businesses.models import Business
from c2c.money import usd
from engagements.models import Engagement
from projects.enums import ApplicationStatus
from projects.models import Application, Project
from reports.enums import FEWER_THAN_SMALLEST, HOURS_BAND, SMALLEST_SHOWN_GROUP, Experience, HoursBand
from students.enums import SchoolType
from students.models import StudentProfile

STUDENT_STAGES = [
    ("signed_up", "Signed up"),
    ("finished_profile", "Finished their profile"),
    ("applied", "Applied"),
    ("offered", "Were offered a project"),
    ("placed", "Were placed"),
    ("completed", "Completed the work"),
    ("paid", "Were paid (both sides confirmed)"),
]
BUSINESS_STAGES = [
    ("registered", "Registered"),
    ("approved", "Were approved"),
    ("posted", "Posted a project"),
    ("hired", "Hired a student"),
    ("hired_again", "Hired a student again"),
]
ANSWER_WITHIN_DAYS = 7
SECONDS_A_DAY = 86400


@dataclass(frozen=True)
class Period:
    since: date
    until: date
    category: str = ""
    school_type: str = ""

    @cached_property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.since, time.min))

    @cached_property
    def end(self) -> datetime:
        """The first moment after the period: `until` is counted whole."""
        return timezone.make_aware(datetime.combine(self.until + timedelta(days=1), time.min))

    def within(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})

    def months(self) -> list[date]:
        first, months = self.since.replace(day=1), []
        while first <= self.until:
            months.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return months


def last_12_months(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(since=today.replace(year=today.year - 1) + timedelta(days=1), until=today)


@dataclass(frozen=True)
class Figure:
    """One number of the report: `value` is None when it is suppressed or can't be computed (nothing to divide)."""

    name: str
    group: str
    value: int | Decimal | float | None
    shown: str


def _people(name: str, group: str, count: int, *, group_size: int | None = None) -> Figure:
    hidden = 0 < count < SMALLEST_SHOWN_GROUP or (group_size is not None and 0 < group_size < SMALLEST_SHOWN_GROUP)
    return Figure(name, group, None if hidden else count, FEWER_THAN_SMALLEST if hidden else f"{count:,}")


def _share(name: str, group: str, part: int, whole: int, *, hidden: bool = False) -> Figure:
    if hidden or 0 < whole < SMALLEST_SHOWN_GROUP:
        return Figure(name, group, None, FEWER_THAN_SMALLEST)
    if not whole:
        return Figure(name, group, None, "no data")
    share = part / whole
    return Figure(name, group, round(share, 4), f"{share:.0%}")


def _money(name: str, group: str, amount, *, hidden: bool = False) -> Figure:
    if hidden:
        return Figure(name, group, None, FEWER_THAN_SMALLEST)
    if amount is None:
        return Figure(name, group, None, "no data")
    return Figure(name, group, Decimal(amount), usd(amount))


def _days(name: str, group: str, days: float | None) -> Figure:
    if days is None:
        return Figure(name, group, None, "no data")
    return Figure(name, group, round(days, 1), f"{days:.1f} days")


@dataclass
class GroupFunnel:
    label: str
    stages: list[Figure]
    paid_share: Figure


@dataclass
class Report:
    period: Period
    student_funnel: list[Figure]
    business_funnel: list[Figure]
    money_and_time: list[Figure]
    groups: dict[str, list[GroupFunnel]]
    monthly: list[dict]
    has_activity: bool
    figures: list[Figure] = field(default_factory=list)


# --- The records, read once ----------------------------------------------------------------------------
# Three reads of rows (students, the period's applications and offers, every engagement up to its end), then
# every figure is counted from them in Python: a fixed, small number of queries however long the period.


@dataclass(frozen=True)
class Work:
    """One engagement as the figures need it."""

    student_id: int | None
    business_id: int
    started_at: datetime
    completed_at: datetime | None
    payment_sent_at: datetime | None
    payment_received_at: datetime | None
    fee: Decimal
    weeks: int
    hours: int


@dataclass
class Records:
    period: Period
    waits: list[float | None]  # days to the first answer (None: none yet) of each application sent in the period
    offers: dict[str, int]  # offers made in the period: how many, and how many were accepted
    work: list[Work]  # engagements started before the period ends

    def within(self, moment: datetime | None) -> bool:
        return moment is not None and self.period.start <= moment < self.period.end

    @cached_property
    def placed(self) -> list[Work]:
        return [work for work in self.work if self.within(work.started_at)]

    @cached_property
    def paid(self) -> list[Work]:
        return [work for work in self.work if work.payment_sent_at and self.within(work.payment_received_at)]

    @cached_property
    def paid_by_student(self) -> dict[int, Decimal]:
        amounts: dict[int, Decimal] = defaultdict(Decimal)
        for work in self.paid:
            if work.student_id is not None:
                amounts[work.student_id] += work.fee
        return amounts

    @cached_property
    def returning(self) -> set[int]:
        """Students placed before the period: "returning" in it."""
        return {work.student_id for work in self.work if work.started_at < self.period.start} - {None}


def _offered_in(period: Period):
    return ActivityLog.objects.filter(
        period.within("created_at"),
        verb=Verb.STATUS_CHANGED,
        target_type=ContentType.objects.get_for_model(Application),
        to_state=ApplicationStatus.OFFERED,
    ).values("target_id")


def _days_to_first_answer(applications) -> list[float | None]:
    # Postgres works the days out: turning thousands of timestamps into Python objects costs more than that.
    if connection.features.has_native_duration_field:
        wait = Extract(F("first_response_at") - F("created_at"), "epoch") / SECONDS_A_DAY
        return list(applications.annotate(wait=wait).values_list("wait", flat=True))
    # SQLite (the demo set-up) can't subtract times: the few rows it holds are worked out here.
    return [
        (answered - sent).total_seconds() / SECONDS_A_DAY if answered else None
        for sent, answered in applications.values_list("created_at", "first_response_at")
    ]


def _read(period: Period) -> Records:
    category = _category(period, "project__")
    work = Engagement.objects.filter(started_at__lt=period.end, **category)
    if period.school_type:
        work = work.filter(student__student_profile__school_type=period.school_type)
    return Records(
        period=period,
        waits=_days_to_first_answer(Application.objects.filter(period.within("created_at"), **category)),
        offers=Application.objects.filter(pk__in=_offered_in(period), **category).aggregate(
            made=Count("pk"), accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED))
        ),
        work=[
            Work(*row)
            for row in work.values_list(
                "student_id",
                "business_id",
                "started_at",
                "completed_at",
                "payment_sent_at",
                "payment_received_at",
                "project__fee",
                "project__duration_weeks",
                "project__hours_per_week",
            )
        ],
    )


def _category(period: Period, prefix: str) -> dict:
    return {f"{prefix}category": period.category} if period.category else {}


# --- Students --------------------------------------------------------------------------------------------


GROUP_SPLITS = {
    "School type": SchoolType,
    "Hours a week they can work": HoursBand,
    "First-time or returning": Experience,
}


@dataclass
class Tally:
    """Students counted at each step, and the money paid to them, for everyone and for each group."""

    steps: list[int] = field(default_factory=lambda: [0] * len(STUDENT_STAGES))
    people: int = 0
    paid: Decimal = Decimal(0)

    def add(self, counts: list[int], people: int) -> None:
        self.people += people
        for index, count in enumerate(counts):
            self.steps[index] += count


def _tally(records: Records) -> tuple[Tally, dict[tuple[str, str], Tally]]:
    """Everyone's tally and each group's, counted by Postgres: one row per (school type, hours, returning)."""
    period, category = records.period, _category(records.period, "project__")
    # The engagement steps are subqueries, not the ids of the rows already read: Postgres hashes a subquery
    # once, but checks a list of a few thousand ids row by row (300 ms against 220 on bench/impact.py).
    engagements = Engagement.objects.filter(**category)
    paid = engagements.filter(period.within("payment_received_at"), payment_sent_at__isnull=False)
    steps = {
        "signed_up": period.within("user__date_joined"),
        "finished_profile": period.within("onboarding_completed_at"),
        "applied": Q(
            user_id__in=Application.objects.filter(period.within("created_at"), **category).values("student_id")
        ),
        "offered": Q(
            user_id__in=Application.objects.filter(pk__in=_offered_in(period), **category).values("student_id")
        ),
        "placed": Q(user_id__in=engagements.filter(period.within("started_at")).values("student_id")),
        "completed": Q(user_id__in=engagements.filter(period.within("completed_at")).values("student_id")),
        "paid": Q(user_id__in=paid.values("student_id")),
    }
    took_any = Q()
    for step in steps.values():
        took_any |= step
    profiles = StudentProfile.objects.filter(took_any, user__role=Role.STUDENT)
    if period.school_type:
        profiles = profiles.filter(school_type=period.school_type)
    rows = (
        profiles.annotate(
            band=HOURS_BAND,
            returning=ExpressionWrapper(
                Q(user_id__in=engagements.filter(started_at__lt=period.start).values("student_id")),
                output_field=BooleanField(),
            ),
        )
        .values("school_type", "band", "returning")
        .annotate(people=Count("pk"), **{key: Count("pk", filter=step) for key, step in steps.items()})
        .order_by()
    )
    paid_by_group = _paid_by_group(records)
    everyone, groups = Tally(), defaultdict(Tally)
    for row in rows:
        counts = [row[key] for key, _ in STUDENT_STAGES]
        experience = Experience.RETURNING if row["returning"] else Experience.FIRST_TIME
        keys = [
            ("School type", row["school_type"] or SchoolType.OTHER),
            ("Hours a week they can work", row["band"]),
            ("First-time or returning", experience),
        ]
        everyone.add(counts, row["people"])
        for key in keys:
            groups[key].add(counts, row["people"])
    everyone.paid = sum(records.paid_by_student.values(), Decimal(0))
    for key, amount in paid_by_group.items():
        groups[key].paid = amount
    return everyone, groups


def _paid_by_group(records: Records) -> dict[tuple[str, str], Decimal]:
    """The money paid in the period to each group (students paid are few: their profiles are read directly)."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    profiles = (
        StudentProfile.objects.filter(user_id__in=list(records.paid_by_student))
        .annotate(band=HOURS_BAND)
        .values_list("user_id", "school_type", "band")
    )
    for user_id, school_type, band in profiles:
        amount = records.paid_by_student[user_id]
        experience = Experience.RETURNING if user_id in records.returning else Experience.FIRST_TIME
        totals["School type", school_type or SchoolType.OTHER] += amount
        totals["Hours a week they can work", band] += amount
        totals["First-time or returning", experience] += amount
    return totals


def _funnel(counts: list[int], group: str, *, group_size: int | None = None) -> list[Figure]:
    return [
        _people(label, group, counts[index], group_size=group_size) for index, (_, label) in enumerate(STUDENT_STAGES)
    ]


def _groups(tallies: dict[tuple[str, str], Tally], total_paid: Decimal) -> dict[str, list[GroupFunnel]]:
    groups = {}
    for title, choices in GROUP_SPLITS.items():
        funnels = []
        for key, label in choices.choices:
            tally = tallies.get((title, key), Tally())
            name = f"{title}: {label}"
            funnels.append(
                GroupFunnel(
                    label=label,
                    stages=_funnel(tally.steps, name, group_size=tally.people),
                    paid_share=_share(
                        "Share of all paid work",
                        name,
                        tally.paid,
                        total_paid or 0,
                        hidden=0 < tally.people < SMALLEST_SHOWN_GROUP,
                    ),
                )
            )
        groups[title] = funnels
    return groups


# --- Businesses ------------------------------------------------------------------------------------------


def _business_funnel(records: Records) -> list[Figure]:
    period = records.period
    first_hire: dict[int, datetime] = {}
    for work in records.work:
        first_hire[work.business_id] = min(work.started_at, first_hire.get(work.business_id, work.started_at))
    hired = {work.business_id for work in records.placed}
    hired_again = {work.business_id for work in records.placed if work.started_at > first_hire[work.business_id]}
    counts = {
        "registered": Business.objects.filter(period.within("created_at")).count(),
        "approved": ActivityLog.objects.filter(
            period.within("created_at"),
            verb=Verb.STATUS_CHANGED,
            target_type=ContentType.objects.get_for_model(Business),
            to_state=BusinessStatus.APPROVED,
        )
        .values("target_id")
        .distinct()
        .count(),
        "posted": Project.objects.filter(period.within("published_at"), **_category(period, ""))
        .values("business")
        .distinct()
        .count(),
        "hired": len(hired),
        "hired_again": len(hired_again),
    }
    return [_people(label, "All businesses", counts[key]) for key, label in BUSINESS_STAGES]


# --- Money and time --------------------------------------------------------------------------------------


def _median(values: list) -> float | Decimal | None:
    return statistics.median(values) if values else None


def _money_and_time(records: Records) -> tuple[list[Figure], Decimal]:
    placements = records.placed
    total_paid = sum((work.fee for work in records.paid), Decimal(0))
    waits = [wait for wait in records.waits if wait is not None]
    window = timedelta(days=settings.C2C_PAYMENT_OVERDUE_DAYS)
    completed = [work for work in records.work if records.within(work.completed_at)]
    paid_on_time = [
        work
        for work in completed
        if work.payment_sent_at and work.payment_received_at and work.payment_received_at <= work.completed_at + window
    ]
    rates = [work.fee / (work.weeks * work.hours) for work in placements]
    few = 0 < len(placements) < SMALLEST_SHOWN_GROUP
    figures = [
        _money("Total paid to students", "All", total_paid),
        _money("Median fee", "All", _median([work.fee for work in placements]), hidden=few),
        _money("Median effective hourly rate", "All", _median(rates), hidden=few),
        _days("Median days from application to first answer", "All", _median(waits)),
        _share(
            f"Applications answered within {ANSWER_WITHIN_DAYS} days",
            "All",
            sum(wait <= ANSWER_WITHIN_DAYS for wait in waits),
            len(records.waits),
        ),
        _share("Offers accepted", "All", records.offers["accepted"], records.offers["made"]),
        _share(
            f"Completed work confirmed paid within {settings.C2C_PAYMENT_OVERDUE_DAYS} days",
            "All",
            len(paid_on_time),
            len(completed),
        ),
    ]
    return figures, total_paid


def _monthly(records: Records) -> list[dict]:
    placements: dict[date, int] = defaultdict(int)
    paid: dict[date, Decimal] = defaultdict(Decimal)
    for work in records.placed:
        placements[timezone.localtime(work.started_at).date().replace(day=1)] += 1
    for work in records.paid:
        paid[timezone.localtime(work.payment_received_at).date().replace(day=1)] += work.fee
    rows = []
    for month in records.period.months():
        count = placements.get(month, 0)
        hidden = 0 < count < SMALLEST_SHOWN_GROUP
        rows.append(
            {
                "month": month,
                "placements": None if hidden else count,
                "placements_shown": FEWER_THAN_SMALLEST if hidden else f"{count:,}",
                "paid": paid.get(month, Decimal(0)),
            }
        )
    return rows


def impact_report(period: Period) -> Report:
    records = _read(period)
    everyone, tallies = _tally(records)
    money, total_paid = _money_and_time(records)
    report = Report(
        period=period,
        student_funnel=_funnel(everyone.steps, "All students"),
        business_funnel=_business_funnel(records),
        money_and_time=money,
        groups=_groups(tallies, total_paid),
        monthly=_monthly(records),
        has_activity=everyone.people > 0 or total_paid > 0,
    )
    report.figures = [
        *report.student_funnel,
        *report.business_funnel,
        *report.money_and_time,
        *(
            figure
            for funnels in report.groups.values()
            for group in funnels
            for figure in [*group.stages, group.paid_share]
        ),
    ]
    return report


def headline(today: date | None = None) -> list[Figure]:
    """The admin index's figures for the last 30 days."""
    today = today or timezone.localdate()
    report = impact_report(Period(since=today - timedelta(days=29), until=today))
    funnel = {figure.name: figure for figure in report.student_funnel}
    money = {figure.name: figure for figure in report.money_and_time}
    return [
        funnel["Signed up"],
        funnel["Were placed"],
        money["Total paid to students"],
        money["Applications answered within 7 days"],
    ]

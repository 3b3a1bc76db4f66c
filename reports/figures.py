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

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.enums import Role
from activity.enums import Verb
from activity.models import ActivityLog
from businesses.models import Business
from c2c.money import usd
from engagements.models import Engagement
from projects.enums import ApplicationStatus
from projects.models import Application, Project
from reports.enums import FEWER_THAN_SMALLEST, SMALLEST_SHOWN_GROUP, Experience, HoursBand, hours_band
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
ANSWER_WITHIN = timedelta(days=7)


@dataclass(frozen=True)
class Period:
    since: date
    until: date
    category: str = ""
    school_type: str = ""

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.since, time.min))

    @property
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

    @property
    def csv_value(self) -> str:
        return self.shown


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
    key: str
    label: str
    size: int
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


# --- Students --------------------------------------------------------------------------------------------


def _student_rows(period: Period) -> list[tuple]:
    """One row per student who did anything in the period: (school type, hours, returning, paid amount, *stages)."""
    application_type = ContentType.objects.get_for_model(Application)
    applications = Application.objects.filter(student=OuterRef("user"), **_category(period, "project__"))
    engagements = Engagement.objects.filter(student=OuterRef("user"), **_category(period, "project__"))
    offers = ActivityLog.objects.filter(
        period.within("created_at"),
        verb=Verb.STATUS_CHANGED,
        target_type=application_type,
        to_state=ApplicationStatus.OFFERED,
        target_id__in=Application.objects.filter(
            student=OuterRef(OuterRef("user")), **_category(period, "project__")
        ).values("pk"),
    )
    paid = engagements.filter(period.within("payment_received_at"), payment_sent_at__isnull=False)
    profiles = StudentProfile.objects.filter(user__role=Role.STUDENT)
    if period.school_type:
        profiles = profiles.filter(school_type=period.school_type)
    profiles = profiles.annotate(
        signed_up=ExpressionWrapper(period.within("user__date_joined"), output_field=BooleanField()),
        finished_profile=ExpressionWrapper(period.within("onboarding_completed_at"), output_field=BooleanField()),
        applied=Exists(applications.filter(period.within("created_at"))),
        offered=Exists(offers),
        placed=Exists(engagements.filter(period.within("started_at"))),
        completed=Exists(engagements.filter(period.within("completed_at"))),
        paid=Exists(paid),
        returning=Exists(engagements.filter(started_at__lt=period.start)),
        paid_amount=Subquery(paid.order_by().values("student").annotate(total=Sum("project__fee")).values("total")[:1]),
    )
    stages = [key for key, _ in STUDENT_STAGES]
    active = Q()
    for key in stages:
        active |= Q(**{key: True})
    return list(
        profiles.filter(active).values_list("school_type", "hours_per_week", "returning", "paid_amount", *stages)
    )


def _category(period: Period, prefix: str) -> dict:
    return {f"{prefix}category": period.category} if period.category else {}


def _funnel(rows: list[tuple], group: str, *, group_size: int | None = None) -> list[Figure]:
    return [
        _people(label, group, sum(1 for row in rows if row[4 + index]), group_size=group_size)
        for index, (_, label) in enumerate(STUDENT_STAGES)
    ]


def _groups(rows: list[tuple], total_paid: Decimal) -> dict[str, list[GroupFunnel]]:
    splits = {
        "School type": (lambda row: row[0] or SchoolType.OTHER, SchoolType),
        "Hours a week they can work": (lambda row: hours_band(row[1]), HoursBand),
        "First-time or returning": (lambda row: Experience.RETURNING if row[2] else Experience.FIRST_TIME, Experience),
    }
    groups = {}
    for title, (key_of, choices) in splits.items():
        members = defaultdict(list)
        for row in rows:
            members[key_of(row)].append(row)
        funnels = []
        for key, label in choices.choices:
            group_rows = members.get(key, [])
            hidden = 0 < len(group_rows) < SMALLEST_SHOWN_GROUP
            paid = sum((row[3] or Decimal(0)) for row in group_rows)
            funnels.append(
                GroupFunnel(
                    key=key,
                    label=label,
                    size=len(group_rows),
                    stages=_funnel(group_rows, f"{title}: {label}", group_size=len(group_rows)),
                    paid_share=_share(
                        "Share of all paid work", f"{title}: {label}", paid, total_paid or 0, hidden=hidden
                    ),
                )
            )
        groups[title] = funnels
    return groups


# --- Businesses ------------------------------------------------------------------------------------------


def _business_funnel(period: Period) -> list[Figure]:
    category = _category(period, "project__")
    hired = Engagement.objects.filter(period.within("started_at"), **category)
    earlier_hire = Engagement.objects.filter(
        business=OuterRef("business"), started_at__lt=OuterRef("started_at"), **category
    )
    counts = {
        "registered": Business.objects.filter(period.within("created_at")).count(),
        "approved": ActivityLog.objects.filter(
            period.within("created_at"),
            verb=Verb.STATUS_CHANGED,
            target_type=ContentType.objects.get_for_model(Business),
            to_state="approved",
        )
        .values("target_id")
        .distinct()
        .count(),
        "posted": Project.objects.filter(period.within("published_at"), **_category(period, ""))
        .values("business")
        .distinct()
        .count(),
        "hired": hired.values("business").distinct().count(),
        "hired_again": hired.filter(Exists(earlier_hire)).values("business").distinct().count(),
    }
    return [_people(label, "All businesses", counts[key]) for key, label in BUSINESS_STAGES]


# --- Money and time --------------------------------------------------------------------------------------


def _median(values: list) -> float | Decimal | None:
    return statistics.median(values) if values else None


def _money_and_time(period: Period) -> tuple[list[Figure], Decimal]:
    category = _category(period, "project__")
    placements = list(
        Engagement.objects.filter(period.within("started_at"), **category).values_list(
            "project__fee", "project__duration_weeks", "project__hours_per_week"
        )
    )
    total_paid = Engagement.objects.filter(
        period.within("payment_received_at"), payment_sent_at__isnull=False, **category
    ).aggregate(total=Sum("project__fee"))["total"] or Decimal(0)
    answers = list(
        Application.objects.filter(period.within("created_at"), **category).values_list(
            "created_at", "first_response_at"
        )
    )
    waits = [(answered - applied).total_seconds() / 86400 for applied, answered in answers if answered]
    offered = ActivityLog.objects.filter(
        period.within("created_at"),
        verb=Verb.STATUS_CHANGED,
        target_type=ContentType.objects.get_for_model(Application),
        to_state=ApplicationStatus.OFFERED,
    ).values("target_id")
    offers = Application.objects.filter(pk__in=offered, **category).aggregate(
        made=Count("pk"), accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED))
    )
    on_time_by = F("completed_at") + timedelta(days=settings.C2C_PAYMENT_OVERDUE_DAYS)
    completed = Engagement.objects.filter(period.within("completed_at"), **category).aggregate(
        done=Count("pk"),
        paid_on_time=Count(
            "pk",
            filter=Q(
                payment_sent_at__isnull=False,
                payment_received_at__isnull=False,
                payment_received_at__lte=on_time_by,
            ),
        ),
    )
    rates = [Decimal(fee) / (weeks * hours) for fee, weeks, hours in placements]
    figures = [
        _money("Total paid to students", "All", total_paid),
        _money("Median fee", "All", _median([fee for fee, _, _ in placements]), hidden=_few(placements)),
        _money("Median effective hourly rate", "All", _median(rates), hidden=_few(placements)),
        _days("Median days from application to first answer", "All", _median(waits)),
        _share("Applications answered within 7 days", "All", sum(1 for w in waits if w <= 7), len(answers)),
        _share("Offers accepted", "All", offers["accepted"], offers["made"]),
        _share(
            f"Completed work confirmed paid within {settings.C2C_PAYMENT_OVERDUE_DAYS} days",
            "All",
            completed["paid_on_time"],
            completed["done"],
        ),
    ]
    return figures, total_paid


def _few(rows: list) -> bool:
    return 0 < len(rows) < SMALLEST_SHOWN_GROUP


def _monthly(period: Period) -> list[dict]:
    category = _category(period, "project__")
    placed = dict(
        Engagement.objects.filter(period.within("started_at"), **category)
        .annotate(month=TruncMonth("started_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    )
    paid = dict(
        Engagement.objects.filter(period.within("payment_received_at"), payment_sent_at__isnull=False, **category)
        .annotate(month=TruncMonth("payment_received_at"))
        .values("month")
        .annotate(total=Sum("project__fee"))
        .values_list("month", "total")
    )
    by_month = {}
    for month_start, count in placed.items():
        by_month.setdefault(timezone.localtime(month_start).date().replace(day=1), {})["placements"] = count
    for month_start, total in paid.items():
        by_month.setdefault(timezone.localtime(month_start).date().replace(day=1), {})["paid"] = total
    rows = []
    for month in period.months():
        values = by_month.get(month, {})
        placements = values.get("placements", 0)
        hidden = 0 < placements < SMALLEST_SHOWN_GROUP
        rows.append(
            {
                "month": month,
                "placements": None if hidden else placements,
                "placements_shown": FEWER_THAN_SMALLEST if hidden else f"{placements:,}",
                "paid": values.get("paid") or Decimal(0),
            }
        )
    return rows


def impact_report(period: Period) -> Report:
    rows = _student_rows(period)
    money, total_paid = _money_and_time(period)
    report = Report(
        period=period,
        student_funnel=_funnel(rows, "All students"),
        business_funnel=_business_funnel(period),
        money_and_time=money,
        groups=_groups(rows, total_paid),
        monthly=_monthly(period),
        has_activity=bool(rows) or total_paid > 0,
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

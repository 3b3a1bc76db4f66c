"""The money and time rules for a project, shared by the form (messages beside fields) and the services."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from catalogue.fit import date_fit
from projects.models import effective_hourly_rate


def term_errors(*, fee, duration_weeks, hours_per_week, earliest_start, apply_by, today: date) -> dict:
    """Field → message for every broken rule; empty when the terms are fine."""
    errors = {}
    floor = Decimal(settings.C2C_MIN_HOURLY_RATE)
    if fee is not None and fee <= 0:
        errors["fee"] = "Micro-internships are paid: enter a fee above $0."
    elif fee is not None and duration_weeks and hours_per_week:
        rate = effective_hourly_rate(fee, duration_weeks, hours_per_week)
        if rate < floor:
            minimum = floor * duration_weeks * hours_per_week
            errors["fee"] = (
                f"This works out at ${rate:,.2f} an hour for {duration_weeks * hours_per_week} hours of work; "
                f"the minimum is ${floor:,.0f} an hour. Raise the fee to at least ${minimum:,.0f} "
                "or reduce the hours."
            )
    if apply_by and apply_by < today:
        errors["apply_by"] = "The apply-by date has passed: choose today or a later date."
    if apply_by and earliest_start and earliest_start < apply_by:
        errors["earliest_start"] = (
            "The project can't start before applications close: pick a start on or after the apply-by date."
        )
    return errors


def offer_start_error(*, proposed_start: date, earliest_start: date, today: date) -> str | None:
    """Why an offer can't propose this start date, or None. Students applied for a project starting from its
    earliest start, so an offer never asks them to start before it (nor in the past)."""
    if proposed_start < today:
        return "The start date has passed: choose today or a later date."
    if proposed_start < earliest_start:
        return (
            f"The project was advertised as starting from {earliest_start:%a %-d %b %Y}: "
            "propose that date or a later one."
        )
    return None


def fitting_window(windows, *, earliest_start: date, duration_weeks: int):
    """The first (starts_on, ends_on) window that holds the whole project, starting within its start window.

    The same rule matching uses (`catalogue.fit.date_fit`), so the apply page and recommendations agree.
    """
    window, _ = date_fit(sorted(windows), earliest_start, duration_weeks, settings.C2C_MATCH_START_WINDOW_DAYS)
    return window


def availability_fit(*, student_hours, windows, hours_per_week: int, duration_weeks: int, earliest_start: date):
    """Plain-words comparison of a project's time needs with what a student said they have."""
    if student_hours is None:
        hours = (False, "You haven't said how many hours a week you have.")
    elif student_hours >= hours_per_week:
        hours = (True, f"It needs {hours_per_week} h/week; you said you have {student_hours}.")
    else:
        hours = (False, f"It needs {hours_per_week} h/week, more than the {student_hours} you said you have.")
    window = fitting_window(windows, earliest_start=earliest_start, duration_weeks=duration_weeks)
    if window:
        dates = (True, f"It fits your availability from {window[0]:%a %-d %b} to {window[1]:%a %-d %b %Y}.")
    elif windows:
        latest = earliest_start + timedelta(days=settings.C2C_MATCH_START_WINDOW_DAYS)
        dates = (
            False,
            f"None of your available dates hold {duration_weeks} weeks starting between "
            f"{earliest_start:%a %-d %b} and {latest:%a %-d %b}.",
        )
    else:
        dates = (False, "You haven't added the dates you can work.")
    return {"hours": hours, "dates": dates, "fits": hours[0] and dates[0]}

"""The money and time rules for a project, shared by the form (messages beside fields) and the services."""

from datetime import date
from decimal import Decimal

from django.conf import settings

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

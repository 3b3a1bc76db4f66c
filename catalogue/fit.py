"""Whether a project's dates fit a student's: the one rule the apply page and matching both use."""

from datetime import date, timedelta
from functools import cache


@cache
def _days(count: int) -> timedelta:
    # date_fit runs a million times in a rebuild; the same few offsets needn't be rebuilt each time.
    return timedelta(days=count)


def date_fit(windows, earliest_start: date, duration_weeks: int, start_window_days: int):
    """The first (window, start) where the whole project fits, starting no later than the start window allows."""
    if not windows:
        return None, None
    last_day_offset = _days(duration_weeks * 7 - 1)
    latest_start = earliest_start + _days(start_window_days)
    for starts_on, ends_on in windows:
        start = starts_on if starts_on > earliest_start else earliest_start
        if start <= latest_start and start + last_day_offset <= ends_on:
            return (starts_on, ends_on), start
    return None, None

"""Times as people read them: in the site's time zone (settings.TIME_ZONE), with the time wherever something
expires, and to whole seconds in `<time datetime>` (HTML allows at most three decimal places)."""

from datetime import date, datetime, time

from django.utils import dateformat, timezone

DEADLINE_FORMAT = "D j M, g:i a T"
DEADLINE_FORMAT_OTHER_YEAR = "D j M Y, g:i a T"


def end_of_day(day: date) -> datetime:
    """The last minute of `day` in the site's zone: when a date-only deadline such as "apply by" passes."""
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def deadline(value: date | datetime | None) -> str:
    """When something expires, with its time and the zone's abbreviation, e.g. "Tue 8 Dec, 5:00 p.m. EST"
    (the year too when it isn't this year)."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        value = end_of_day(value)
    local = timezone.localtime(value)
    same_year = local.year == timezone.localdate().year
    return dateformat.format(local, DEADLINE_FORMAT if same_year else DEADLINE_FORMAT_OTHER_YEAR)


def machine_readable(value: date | datetime | None) -> str:
    """The value of a `<time datetime>` attribute: a date, or a local date and time to the second with its offset."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()

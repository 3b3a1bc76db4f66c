from django.db import models
from django.db.models import Case, Value, When

# Groups smaller than this are shown as "fewer than 5", in the page and in exports, so no one can be picked out.
SMALLEST_SHOWN_GROUP = 5
FEWER_THAN_SMALLEST = "fewer than 5"


class HoursBand(models.TextChoices):
    """The hours a student can give each week: the students traditional internships shut out work fewer."""

    UP_TO_10 = "up_to_10", "10 hours or fewer"
    ELEVEN_TO_20 = "11_to_20", "11 to 20 hours"
    OVER_20 = "over_20", "Over 20 hours"
    UNKNOWN = "unknown", "Not given"


class Experience(models.TextChoices):
    FIRST_TIME = "first_time", "First micro-internship"
    RETURNING = "returning", "Returning students"


# The band of a student profile's hours, worked out by the database (the one place the bands are drawn).
HOURS_BAND = Case(
    When(hours_per_week__isnull=True, then=Value(HoursBand.UNKNOWN)),
    When(hours_per_week__lte=10, then=Value(HoursBand.UP_TO_10)),
    When(hours_per_week__lte=20, then=Value(HoursBand.ELEVEN_TO_20)),
    default=Value(HoursBand.OVER_20),
)

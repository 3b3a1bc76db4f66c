from django.conf import settings
from django.db import models


class RebuildSide(models.TextChoices):
    STUDENT = "student", "Students' lists of projects"
    PROJECT = "project", "Projects' lists of students"


class ScoreBand(models.TextChoices):
    STRONG = "strong", "Strong match"
    GOOD = "good", "Good match"
    FAIR = "fair", "Possible match"


def score_band(score: int) -> ScoreBand:
    """Strong from the score that earns a notification; good needs more than availability and interests alone."""
    if score >= settings.C2C_MATCH_NOTIFY_THRESHOLD:
        return ScoreBand.STRONG
    if score >= 65:
        return ScoreBand.GOOD
    return ScoreBand.FAIR

from django.db import models


class RebuildSide(models.TextChoices):
    STUDENT = "student", "Students' lists of projects"
    PROJECT = "project", "Projects' lists of students"


class ScoreBand(models.TextChoices):
    STRONG = "strong", "Strong match"
    GOOD = "good", "Good match"
    FAIR = "fair", "Possible match"


def score_band(score: int) -> ScoreBand:
    if score >= 75:
        return ScoreBand.STRONG
    if score >= 50:
        return ScoreBand.GOOD
    return ScoreBand.FAIR

from django.db import models


class InterestKind(models.TextChoices):
    INDUSTRY = "industry", "Industry"
    CAUSE = "cause", "Cause"


# The hours a week a micro-internship can ask for and a student can offer.
MIN_HOURS, MAX_HOURS = 1, 40

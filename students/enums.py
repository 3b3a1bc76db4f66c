from django.db import models


class SchoolType(models.TextChoices):
    COMMUNITY_COLLEGE = "community_college", "Community college"
    FOUR_YEAR = "four_year", "4-year college or university"
    GRADUATE = "graduate", "Graduate school"
    OTHER = "other", "Other"


class SkillLevel(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class LocationPreference(models.TextChoices):
    REMOTE = "remote", "Remote only"
    HYBRID = "hybrid", "Remote or hybrid"
    ONSITE = "onsite", "Any, including on-site"


class OnboardingStep(models.TextChoices):
    """The profile is filled in these steps, in this order; each can be saved and resumed."""

    SCHOOL = "school", "School"
    SKILLS = "skills", "Skills"
    INTERESTS = "interests", "Interests"
    AVAILABILITY = "availability", "Availability"
    LINKS = "links", "Links and résumé"

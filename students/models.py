import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from c2c.storage import private_storage
from catalogue.enums import MAX_HOURS
from catalogue.models import Interest, Skill
from students.enums import LocationPreference, SchoolType, SkillLevel


def resume_path(profile, filename):
    # A random name: the file is never guessable and the student's own name never reaches the disk.
    return f"resumes/{profile.user_id}/{secrets.token_hex(16)}.pdf"


def new_portfolio_token():
    return secrets.token_urlsafe(12)


class StudentProfile(models.Model):
    """What a student tells us once, used for applying and for matching."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_profile")
    school = models.CharField(max_length=200, blank=True)
    school_type = models.CharField(max_length=32, choices=SchoolType.choices, blank=True)
    programme = models.CharField("programme or major", max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(
        "expected graduation year",
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    bio = models.TextField("short bio", max_length=1500, blank=True)
    interests = models.ManyToManyField(Interest, related_name="students", blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        "hours a week you can give",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS)],
    )
    location_preference = models.CharField(
        max_length=16, choices=LocationPreference.choices, default=LocationPreference.REMOTE
    )
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    portfolio_url = models.URLField("portfolio link", blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)
    github_url = models.URLField("GitHub", blank=True)
    resume = models.FileField(upload_to=resume_path, storage=private_storage, blank=True, max_length=200)
    resume_filename = models.CharField(max_length=200, blank=True, help_text="The name the student uploaded it as.")
    resume_uploaded_at = models.DateTimeField(null=True, blank=True)
    discoverable = models.BooleanField(
        "let businesses find me",
        default=False,
        help_text="Businesses may see your public profile in their recommended students and invite you to apply.",
    )
    portfolio_public = models.BooleanField("share my portfolio publicly", default=False)
    portfolio_token = models.CharField(max_length=32, unique=True, default=new_portfolio_token, editable=False)
    onboarding_completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def is_onboarded(self) -> bool:
        """The student finished setting up their profile: the one test of it (apply, landing, recommendations)."""
        return self.onboarding_completed_at is not None


class StudentSkill(models.Model):
    profile = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=16, choices=SkillLevel.choices, default=SkillLevel.BEGINNER)

    class Meta:
        ordering = ["skill__name"]
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="one_level_per_skill")]

    def __str__(self):
        return f"{self.skill} ({self.get_level_display()})"


class AvailabilityWindow(models.Model):
    """A date range in which the student can work at their stated hours a week."""

    profile = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="availability")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="window_ends_after_it_starts"),
        ]

    def __str__(self):
        return f"{self.starts_on:%d %b %Y} – {self.ends_on:%d %b %Y}"

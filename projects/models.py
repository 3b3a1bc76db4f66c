from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from businesses.models import Business
from c2c.states import HasState
from catalogue.enums import MAX_HOURS, MIN_HOURS
from catalogue.models import Interest, Skill
from projects.enums import (
    APPLICATION_STATUS_TONES,
    PROJECT_STATUS_TONES,
    ApplicationStatus,
    Category,
    FlagReason,
    FlagStatus,
    LocationMode,
    ProjectStatus,
)

MIN_WEEKS, MAX_WEEKS = 2, 8
MAX_SCREENING_QUESTIONS = 5


class ProjectTemplate(models.Model):
    """A staff-curated starting point that pre-fills the project form."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    description = models.TextField()
    deliverables = models.JSONField(default=list, help_text="A list of deliverable titles, in order.")
    category = models.CharField(max_length=32, choices=Category.choices)
    required_skills = models.ManyToManyField(Skill, related_name="+", blank=True)
    nice_to_have_skills = models.ManyToManyField(Skill, related_name="+", blank=True)
    duration_weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_WEEKS), MaxValueValidator(MAX_WEEKS)]
    )
    hours_per_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_HOURS), MaxValueValidator(MAX_HOURS)]
    )
    suggested_fee = models.DecimalField(max_digits=8, decimal_places=2)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title


class Project(HasState, models.Model):
    """A micro-internship: 2 to 8 weeks, a fixed fee, clear deliverables."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="projects")
    template = models.ForeignKey(ProjectTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One or two sentences students see in search results.")
    description = models.TextField()
    category = models.CharField(max_length=32, choices=Category.choices)
    required_skills = models.ManyToManyField(Skill, related_name="required_by", blank=True)
    nice_to_have_skills = models.ManyToManyField(Skill, related_name="nice_to_have_for", blank=True)
    interests = models.ManyToManyField(Interest, related_name="projects", blank=True)
    duration_weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_WEEKS), MaxValueValidator(MAX_WEEKS)]
    )
    hours_per_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_HOURS), MaxValueValidator(MAX_HOURS)]
    )
    earliest_start = models.DateField()
    apply_by = models.DateField()
    location_mode = models.CharField(max_length=16, choices=LocationMode.choices, default=LocationMode.REMOTE)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    fee = models.DecimalField("fixed fee (USD)", max_digits=8, decimal_places=2)
    openings = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(20)])
    screening_questions = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    STATES, STATUS_TONES = ProjectStatus, PROJECT_STATUS_TONES
    status_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Title, summary, description, skills and business name, kept by projects.services.refresh_search_document.
    search_document = models.TextField(blank=True, editable=False)
    # Postgres full-text vector of search_document (GIN-indexed there; unused on SQLite).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_weeks__gte=MIN_WEEKS, duration_weeks__lte=MAX_WEEKS),
                name="project_duration_2_to_8_weeks",
                violation_error_message="A micro-internship lasts 2 to 8 weeks.",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gte=MIN_HOURS, hours_per_week__lte=MAX_HOURS),
                name="project_hours_1_to_40",
                violation_error_message="Hours per week must be between 1 and 40.",
            ),
            models.CheckConstraint(
                condition=models.Q(fee__gt=0),
                name="project_fee_positive",
                violation_error_message="The fee must be more than $0.",
            ),
            models.CheckConstraint(condition=models.Q(openings__gte=1), name="project_openings_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="project_status_published_idx"),
            models.Index(fields=["status", "apply_by"], name="project_status_apply_by_idx"),
            models.Index(fields=["status", "-fee"], name="project_status_fee_idx"),
            models.Index(fields=["status", "submitted_at"], name="project_review_queue_idx"),
            # The catalogue's count and filters read only these columns of published projects: an index-only
            # scan of this small index instead of the wide rows (description, search text) of the whole table.
            models.Index(
                fields=["-published_at", "-id"],
                name="project_catalogue_filters_idx",
                include=[
                    "business",
                    "category",
                    "location_mode",
                    "hours_per_week",
                    "duration_weeks",
                    "fee",
                    "earliest_start",
                ],
                condition=models.Q(status="published"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    @property
    def total_hours(self) -> int:
        return self.duration_weeks * self.hours_per_week

    @property
    def hourly_rate(self) -> Decimal:
        return effective_hourly_rate(self.fee, self.duration_weeks, self.hours_per_week)

    @property
    def location_label(self) -> str:
        if self.location_mode == LocationMode.REMOTE:
            return "Remote"
        place = ", ".join(part for part in [self.city, self.state] if part)
        return f"{self.get_location_mode_display()}{f' · {place}' if place else ''}"


def effective_hourly_rate(fee, weeks, hours_per_week) -> Decimal:
    if not fee or not weeks or not hours_per_week:
        return Decimal("0.00")
    return (Decimal(fee) / (weeks * hours_per_week)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Deliverable(models.Model):
    """One item of a project's ordered list of deliverables."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["project", "position"]
        constraints = [models.UniqueConstraint(fields=["project", "position"], name="deliverable_unique_position")]

    def __str__(self):
        return self.title


class ProjectFlag(models.Model):
    """A signed-in user's report of a published project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "reporter"],
                condition=models.Q(status="open"),
                name="flag_one_open_report_per_user",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.project}"


class Application(HasState, models.Model):
    """One student's application to one project; it always ends in a decision the student hears about."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="applications")
    # Null once the student deletes their account: the business keeps an anonymised record.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="applications"
    )
    cover_note = models.TextField(max_length=2000)
    answers = models.JSONField(default=list, blank=True, help_text="Answers to the screening questions, in order.")
    confirmed_availability = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED)
    STATES, STATUS_TONES = ApplicationStatus, APPLICATION_STATUS_TONES
    status_message = models.TextField(blank=True, help_text="The message sent with the last decision, if any.")
    status_changed_at = models.DateTimeField(db_index=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    proposed_start = models.DateField(null=True, blank=True, help_text="The start date the business offered.")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "student"], name="one_application_per_student_per_project"),
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self):
        return f"{self.student or 'Deleted student'} → {self.project}"

    def get_absolute_url(self):
        return reverse("projects:application", args=[self.pk])

    @property
    def closes_at(self):
        """When the application closes by itself if nobody acts (projects.services.chase_applications)."""
        if self.status == ApplicationStatus.OFFERED:
            return self.offer_expires_at
        if self.status in {ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED}:
            return self.status_changed_at + timedelta(days=settings.C2C_APPLICATION_EXPIRY_DAYS)
        return None

    def answered_questions(self):
        questions = self.project.screening_questions or []
        answers = list(self.answers or [])
        return [(question, answers[n] if n < len(answers) else "") for n, question in enumerate(questions)]

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from businesses.enums import BusinessStatus, HeardAbout, Industry, OrganisationSize, OrganisationType
from c2c.states import HasState


class Business(HasState, models.Model):
    """An organisation that registered through the partner form."""

    name = models.CharField(max_length=200)
    org_type = models.CharField("type", max_length=32, choices=OrganisationType.choices)
    industry = models.CharField(max_length=32, choices=Industry.choices)
    size = models.CharField(max_length=16, choices=OrganisationSize.choices)
    website = models.URLField(blank=True)
    website_domain = models.CharField(
        max_length=253, blank=True, editable=False, help_text="Normalised host of the website, for duplicate checks."
    )
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    remote_only = models.BooleanField(default=False)
    ein = models.CharField("EIN", max_length=10, blank=True)
    description = models.TextField("about the organisation", blank=True)
    contact_name = models.CharField(max_length=150)
    contact_title = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=32, blank=True)
    heard_about = models.CharField(max_length=32, choices=HeardAbout.choices, blank=True)
    project_ideas = models.TextField("kinds of projects in mind", blank=True)
    agreed_to_pay_students = models.BooleanField(default=False)
    agreed_to_terms = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=BusinessStatus.choices, default=BusinessStatus.PENDING)
    STATES = BusinessStatus
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "businesses"
        constraints = [
            models.UniqueConstraint(
                "website_domain",
                name="business_unique_website_domain",
                condition=~models.Q(website_domain=""),
                violation_error_message="An organisation with this website is already registered.",
            ),
            models.UniqueConstraint(
                "ein",
                name="business_unique_ein",
                condition=~models.Q(ein=""),
                violation_error_message="An organisation with this EIN is already registered.",
            ),
        ]
        indexes = [models.Index(Lower("name"), name="business_name_lower_idx")]

    def __str__(self):
        return self.name

    @property
    def is_approved(self):
        return self.status == BusinessStatus.APPROVED

    @property
    def location_label(self):
        if self.remote_only:
            return "Remote"
        return ", ".join(part for part in [self.city, self.state] if part)


class Membership(models.Model):
    """A user who acts for a business. One business per user keeps every lookup unambiguous."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="memberships")
    title = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} at {self.business}"

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from c2c.admin_actions import CHECKBOXES_FOR_MANY_TO_MANY
from students.models import AvailabilityWindow, StudentProfile, StudentSkill


class StudentSkillInline(admin.StackedInline):
    model = StudentSkill
    extra = 0
    autocomplete_fields = ["skill"]


class AvailabilityWindowInline(admin.StackedInline):
    model = AvailabilityWindow
    extra = 0


@admin.register(StudentProfile)
class StudentProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "full_name", "school", "school_type", "hours_per_week", "discoverable", "updated_at"]
    list_filter = ["school_type", "discoverable", "location_preference", "portfolio_public"]
    search_fields = ["user__email", "user__full_name", "school", "programme"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
    inlines = [StudentSkillInline, AvailabilityWindowInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}, **CHECKBOXES_FOR_MANY_TO_MANY}
    readonly_fields = [
        "resume_link",
        "resume_filename",
        "resume_uploaded_at",
        "portfolio_token",
        "onboarding_completed_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["user", "onboarding_completed_at", "created_at", "updated_at"]}),
        ("School", {"fields": ["school", "school_type", "programme", "graduation_year", "bio"]}),
        ("Interests", {"fields": ["interests"]}),
        ("Availability and location", {"fields": ["hours_per_week", "location_preference", "city", "state"]}),
        (
            "Links and résumé",
            {"fields": ["portfolio_url", "linkedin_url", "github_url", "resume_link", "resume_filename"]},
        ),
        ("Sharing", {"fields": ["discoverable", "portfolio_public", "portfolio_token"]}),
    ]

    @admin.display(description="Name", ordering="user__full_name")
    def full_name(self, profile):
        return profile.user.full_name

    @admin.display(description="Résumé")
    def resume_link(self, profile):
        if not profile.resume:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("students:resume", args=[profile.pk]), profile.resume_filename or "Open"
        )

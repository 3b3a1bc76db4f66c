from django.conf import settings
from django.contrib import admin
from django.db.models import Count, Q

from activity.admin import ActivityInline
from c2c.admin_actions import CHECKBOXES_FOR_MANY_TO_MANY, reason_action
from c2c.money import usd
from projects import selectors, services
from projects.enums import FlagStatus, ProjectStatus
from projects.models import (
    Application,
    Deliverable,
    Project,
    ProjectFlag,
    ProjectTemplate,
)


class DeliverableInline(admin.StackedInline):
    model = Deliverable
    extra = 0


class ProjectFlagInline(admin.StackedInline):
    model = ProjectFlag
    fk_name = "project"
    extra = 0
    fields = ["created_at", "reporter", "reason", "note", "status"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReviewQueueFilter(admin.SimpleListFilter):
    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("review", "Waiting for review"), ("flagged", "Has open reports")]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(status=ProjectStatus.SUBMITTED).order_by("submitted_at")
        if self.value() == "flagged":
            return queryset.filter(flags__status=FlagStatus.OPEN).distinct()
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    title = "waiting for an answer"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("long", f"Longer than {settings.C2C_RESPONSE_REMINDER_DAYS} days")]

    def queryset(self, request, queryset):
        if self.value() == "long":
            return queryset.filter(pk__in=selectors.waiting_too_long().values("pk"))
        return queryset


def _move_to(status):
    def apply(project, actor, reason):
        services.transition_project(project=project, to_status=status, actor=actor, reason=reason)

    return apply


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "business",
        "status",
        "pay",
        "duration_weeks",
        "hours_per_week",
        "submitted_at",
        "apply_by",
        "open_reports",
    ]
    list_filter = [ReviewQueueFilter, "status", "category", "location_mode", "created_at"]
    search_fields = ["title", "business__name", "summary"]
    list_select_related = ["business"]
    raw_id_fields = ["business", "template"]
    formfield_overrides = CHECKBOXES_FOR_MANY_TO_MANY
    readonly_fields = ["status", "status_reason", "submitted_at", "published_at", "created_at", "updated_at"]
    inlines = [DeliverableInline, ActivityInline, ProjectFlagInline]
    actions = [
        reason_action(
            description="Approve and publish selected projects",
            verb="Published",
            apply=_move_to(ProjectStatus.PUBLISHED),
            reason_required=False,
        ),
        reason_action(
            description="Reject selected projects (with a reason)",
            verb="Rejected",
            apply=_move_to(ProjectStatus.REJECTED),
            reason_required=True,
        ),
        reason_action(
            description="Unpublish / close selected projects (with a reason)",
            verb="Closed",
            apply=_move_to(ProjectStatus.CLOSED),
            reason_required=True,
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_report_count=Count("flags", filter=Q(flags__status=FlagStatus.OPEN)))
        )

    def get_ordering(self, request):
        # The review queue reads oldest submission first.
        if request.GET.get("queue") == "review" or request.GET.get("status__exact") == ProjectStatus.SUBMITTED:
            return ["submitted_at"]
        return ["-created_at"]

    @admin.display(description="fee", ordering="fee")
    def pay(self, project):
        return usd(project.fee)

    @admin.display(description="Open reports", ordering="open_report_count")
    def open_reports(self, project):
        return project.open_report_count


def _resolve(unpublish):
    def apply(flag, actor, reason):
        services.resolve_flag(flag=flag, actor=actor, resolution=reason, unpublish=unpublish)

    return apply


@admin.register(ProjectFlag)
class ProjectFlagAdmin(admin.ModelAdmin):
    list_display = ["project", "reason", "reporter", "status", "created_at", "resolved_by"]
    list_filter = ["status", "reason", "created_at"]
    search_fields = ["project__title", "project__business__name", "note", "reporter__email"]
    list_select_related = ["project", "reporter", "resolved_by"]
    readonly_fields = [
        "project",
        "reporter",
        "reason",
        "note",
        "status",
        "resolution",
        "resolved_by",
        "created_at",
        "resolved_at",
    ]
    actions = [
        reason_action(
            description="Unpublish the reported projects and resolve (with a reason)",
            verb="Unpublished and resolved",
            apply=_resolve(True),
            reason_required=True,
        ),
        reason_action(
            description="Resolve without action", verb="Resolved", apply=_resolve(False), reason_required=False
        ),
    ]

    def has_add_permission(self, request):
        return False


@admin.register(ProjectTemplate)
class ProjectTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "duration_weeks", "hours_per_week", "suggested_pay", "is_active", "position"]
    list_filter = ["category", "is_active"]
    list_editable = ["is_active", "position"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = CHECKBOXES_FOR_MANY_TO_MANY

    @admin.display(description="suggested fee", ordering="suggested_fee")
    def suggested_pay(self, template):
        return usd(template.suggested_fee)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "business", "status", "created_at", "status_changed_at", "first_response_at"]
    list_filter = [WaitingFilter, "status", "created_at"]
    search_fields = ["student__email", "student__full_name", "project__title", "project__business__name"]
    list_select_related = ["student", "project__business"]
    date_hierarchy = "created_at"
    raw_id_fields = ["project", "student"]
    readonly_fields = [
        "project",
        "student",
        "status",
        "status_message",
        "status_changed_at",
        "first_response_at",
        "offer_expires_at",
        "reminder_sent_at",
        "created_at",
    ]
    fields = [*readonly_fields[:2], "cover_note", "answers", "confirmed_availability", *readonly_fields[2:]]
    inlines = [ActivityInline]

    @admin.display(ordering="project__business__name")
    def business(self, application):
        return application.project.business

    def has_add_permission(self, request):
        return False

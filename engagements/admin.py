from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from c2c.money import usd
from engagements.models import DeliverableSubmission, Engagement, Feedback, Message
from engagements.selectors import overdue_payments


class ReadOnlyMixin:
    """Staff see everything for support, and change nothing here: the site's services own every write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubmissionInline(ReadOnlyMixin, admin.StackedInline):
    model = DeliverableSubmission
    extra = 0
    fields = ["deliverable", "status", "link", "download", "note", "review_note", "submitted_at", "reviewed_at"]
    readonly_fields = fields

    @admin.display(description="File")
    def download(self, submission):
        if not submission.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("engagements:submission_file", args=[submission.pk]),
            submission.filename or "download",
        )


class MessageInline(ReadOnlyMixin, admin.StackedInline):
    model = Message
    extra = 0
    fields = ["created_at", "author", "body"]
    readonly_fields = fields


class FeedbackInline(ReadOnlyMixin, admin.StackedInline):
    model = Feedback
    extra = 0
    fields = ["created_at", "direction", "author", "rating", "comment", "is_reference"]
    readonly_fields = fields


class PaymentOverdueFilter(admin.SimpleListFilter):
    title = "payment overdue"
    parameter_name = "payment_overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Payment overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue_payments().values("pk"))
        return queryset


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "project",
        "business",
        "student",
        "status",
        "pay",
        "started_at",
        "completed_at",
        "payment_sent_at",
        "payment_received_at",
        "payment_overdue_flagged_at",
    ]
    list_filter = ["status", PaymentOverdueFilter]
    search_fields = ["project__title", "business__name", "student__email"]
    list_select_related = ["project", "business", "student"]
    date_hierarchy = "started_at"
    inlines = [SubmissionInline, MessageInline, FeedbackInline]

    @admin.display(description="fee", ordering="project__fee")
    def pay(self, engagement):
        return usd(engagement.project.fee)


@admin.register(Message)
class MessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["engagement", "author", "created_at"]
    search_fields = ["engagement__project__title", "author__email", "body"]
    list_select_related = ["engagement__project", "engagement__student", "author"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["engagement", "direction", "rating", "is_reference", "created_at"]
    list_filter = ["direction", "rating", "is_reference"]
    search_fields = ["engagement__project__title", "engagement__business__name", "engagement__student__email"]
    list_select_related = ["engagement__project", "engagement__student"]

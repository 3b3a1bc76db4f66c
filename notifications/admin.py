from django.contrib import admin, messages

from notifications import services
from notifications.enums import EmailStatus
from notifications.models import Digest, Notification, NotificationPreference


def report_queued(model_admin, request, results: list[bool], what: str) -> None:
    """Say how many were queued, and plainly when the broker could not take the rest (they stay pending)."""
    queued, refused = results.count(True), results.count(False)
    model_admin.message_user(request, f"Queued {queued} {what}(s).", messages.SUCCESS)
    if refused:
        model_admin.message_user(
            request,
            f"The task queue (Redis) is unreachable, so {refused} {what}(s) were not queued. They stay pending "
            "and are sent automatically once it is back.",
            messages.ERROR,
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "recipient",
        "kind",
        "created_at",
        "shown_at",
        "read_at",
        "email_frequency",
        "email_status",
        "delivery_attempts",
    ]
    list_filter = ["email_status", "email_frequency", "inbox_frequency", "kind", "created_at"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "shown_at",
        "read_at",
        "inbox_frequency",
        "email_frequency",
        "digest",
        "email_sent_at",
        "delivery_attempts",
        "last_error",
    ]
    actions = ["resend_email"]

    @admin.action(description="Queue the email again for the selected pending notifications")
    def resend_email(self, request, queryset):
        pending = queryset.filter(email_status=EmailStatus.PENDING).values_list("pk", flat=True)
        report_queued(self, request, [services.enqueue_delivery(pk) for pk in pending], "email")


class DigestItemInline(admin.StackedInline):
    model = Notification
    fk_name = "digest"
    fields = ["title", "kind", "created_at", "email_status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "recipient",
        "frequency",
        "item_count",
        "status",
        "created_at",
        "sent_at",
        "delivery_attempts",
    ]
    list_filter = ["status", "frequency", "created_at"]
    search_fields = ["recipient__email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "recipient",
        "frequency",
        "item_count",
        "created_at",
        "status",
        "sent_at",
        "delivery_attempts",
        "last_error",
    ]
    inlines = [DigestItemInline]
    actions = ["resend_digest"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Its items point at it; deleting it would lose the record of what was sent.
        return False

    @admin.action(description="Queue the email again for the selected pending digests")
    def resend_digest(self, request, queryset):
        pending = queryset.filter(status=EmailStatus.PENDING).values_list("pk", flat=True)
        report_queued(self, request, [services.enqueue_digest_delivery(pk) for pk in pending], "digest")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel", "frequency", "changed_via", "updated_at"]
    list_filter = ["channel", "frequency", "changed_via", "kind"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["updated_at"]

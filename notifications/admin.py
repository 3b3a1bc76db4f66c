from django.contrib import admin, messages

from notifications import services
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "email_status", "delivery_attempts"]
    list_filter = ["email_status", "kind", "created_at"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "read_at", "email_sent_at", "delivery_attempts", "last_error"]
    actions = ["resend_email"]

    @admin.action(description="Queue the email again for the selected pending notifications")
    def resend_email(self, request, queryset):
        queued = sum(
            services.enqueue_delivery(pk) for pk in queryset.filter(email_status="pending").values_list("pk", flat=True)
        )
        self.message_user(request, f"Queued {queued} email(s).", messages.SUCCESS)

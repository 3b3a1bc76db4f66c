from django.contrib import admin, messages

from c2c import services
from c2c.models import FailedTask


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Not dealt with"), ("resolved", "Dealt with")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at=None)
        if self.value() == "resolved":
            return queryset.exclude(resolved_at=None)
        return queryset


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = ["task_name", "error_summary", "attempts", "failed_at", "resolved_at"]
    list_filter = [OpenFilter, "task_name", "failed_at"]
    search_fields = ["task_id", "task_name", "error", "request_id"]
    date_hierarchy = "failed_at"
    readonly_fields = [
        "task_id",
        "task_name",
        "args",
        "kwargs",
        "error",
        "traceback",
        "attempts",
        "request_id",
        "failed_at",
        "resolved_at",
    ]
    actions = ["run_again", "mark_resolved"]

    @admin.display(description="error")
    def error_summary(self, failure):
        return failure.error if len(failure.error) <= 120 else failure.error[:119] + "…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Run the selected tasks again, with the same arguments")
    def run_again(self, request, queryset):
        sent, unreachable = services.run_failed_tasks_again(queryset=queryset)
        if sent:
            self.message_user(request, f"Sent {sent} task(s) to the workers again.", messages.SUCCESS)
        if unreachable:
            self.message_user(
                request,
                f"The task queue (Redis) is unreachable, so {unreachable} task(s) were not sent. "
                "Nothing was lost: try again once /healthz shows the broker is back.",
                messages.ERROR,
            )

    @admin.action(description="Mark the selected tasks as dealt with")
    def mark_resolved(self, request, queryset):
        done = services.resolve_failed_tasks(queryset=queryset)
        self.message_user(request, f"Marked {done} task(s) as dealt with.", messages.SUCCESS)

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericStackedInline

from activity.models import ActivityLog


class ActivityInline(GenericStackedInline):
    """Read-only history of an object (who, when, what, from, to, why) on its admin page.

    Stacked, as every inline here: Django's tabular inlines label their inputs only in the column headers,
    and on a phone their tables become scrolling boxes a keyboard can't reach.
    """

    model = ActivityLog
    ct_field = "target_type"
    ct_fk_field = "target_id"
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "verb", "from_state", "to_state", "reason"]
    readonly_fields = fields
    verbose_name_plural = "History"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "target_type", "target_id", "verb", "from_state", "to_state", "actor"]
    list_filter = ["verb", "target_type"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "target_type"]
    readonly_fields = ["created_at", "actor", "verb", "target_type", "target_id", "from_state", "to_state", "reason"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

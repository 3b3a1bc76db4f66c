from django.contrib import admin
from django.db import models

from activity.admin import ActivityInline
from businesses import services
from businesses.enums import BusinessStatus
from businesses.models import Business, Membership
from c2c.admin_actions import reason_action


class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


def _move_to(status):
    def apply(business, actor, reason):
        services.transition_business(business=business, to_status=status, actor=actor, reason=reason)

    return apply


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "org_type", "industry", "city", "contact_email", "created_at"]
    list_filter = ["status", "org_type", "industry", "created_at"]
    search_fields = ["name", "website", "website_domain", "contact_email"]
    readonly_fields = ["website_domain", "status", "status_reason", "status_changed_at", "created_at", "updated_at"]
    inlines = [MembershipInline, ActivityInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    date_hierarchy = "created_at"
    actions = [
        reason_action(
            description="Approve selected businesses",
            verb="Approved",
            apply=_move_to(BusinessStatus.APPROVED),
            reason_required=False,
        ),
        reason_action(
            description="Reject selected businesses (with a reason)",
            verb="Rejected",
            apply=_move_to(BusinessStatus.REJECTED),
            reason_required=True,
        ),
        reason_action(
            description="Suspend selected businesses (with a reason)",
            verb="Suspended",
            apply=_move_to(BusinessStatus.SUSPENDED),
            reason_required=True,
        ),
    ]

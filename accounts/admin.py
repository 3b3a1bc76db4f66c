from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts import services
from accounts.models import User
from c2c.admin_actions import reason_action


def _suspend(user, actor, reason):
    services.suspend_user(user=user, actor=actor, reason=reason)


def _reinstate(user, actor, reason):
    services.reinstate_user(user=user, actor=actor)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "suspended_at", "is_staff", "date_joined", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["date_joined", "last_login", "suspended_at", "suspension_reason"]
    actions = [
        reason_action(
            description="Suspend selected people",
            verb="Suspended",
            apply=_suspend,
            reason_required=True,
            help_text="Kept with the account for staff; say what happened.",
        ),
        reason_action(
            description="Reinstate selected people", verb="Reinstated", apply=_reinstate, reason_required=False
        ),
    ]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "role"]}),
        ("Suspension", {"fields": ["suspended_at", "suspension_reason"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "role", "password1", "password2"]}),
    ]

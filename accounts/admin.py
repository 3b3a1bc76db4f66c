from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts import second_factor, services
from accounts.models import User
from activity.admin import ActivityInline
from c2c.admin_actions import reason_action


def _suspend(user, actor, reason):
    services.suspend_user(user=user, actor=actor, reason=reason)


def _reinstate(user, actor, reason):
    services.reinstate_user(user=user, actor=actor, reason=reason)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "suspended_at", "is_staff", "date_joined", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["date_joined", "last_login", "suspended_at", "suspension_reason"]
    inlines = [ActivityInline]
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


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has which second factor, and a way to remove a lost one; never the secret it holds."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type", "created_at", "last_used_at"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        second_factor.drop_orphaned_recovery_codes(obj.user_id)

    def delete_queryset(self, request, queryset):
        user_ids = set(queryset.values_list("user_id", flat=True))
        super().delete_queryset(request, queryset)
        for user_id in user_ids:
            second_factor.drop_orphaned_recovery_codes(user_id)

from django import template
from django.urls import reverse

from c2c.models import FailedTask
from notifications.enums import EmailStatus
from notifications.models import Digest, Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def background_failures(context) -> list[dict]:
    """What the workers gave up on, for the admin index: counts with links to the lists, for what this user may view."""
    user = context["request"].user
    rows = [
        (
            "c2c.view_failedtask",
            "Failed background tasks",
            FailedTask.objects.filter(resolved_at=None),
            reverse("admin:c2c_failedtask_changelist") + "?state=open",
        ),
        (
            "notifications.view_notification",
            "Emails that could not be delivered",
            Notification.objects.filter(email_status=EmailStatus.FAILED),
            reverse("admin:notifications_notification_changelist") + f"?email_status__exact={EmailStatus.FAILED}",
        ),
        (
            "notifications.view_digest",
            "Digests that could not be delivered",
            Digest.objects.filter(status=EmailStatus.FAILED),
            reverse("admin:notifications_digest_changelist") + f"?status__exact={EmailStatus.FAILED}",
        ),
    ]
    return [
        {"label": label, "count": queryset.count(), "url": url}
        for permission, label, queryset, url in rows
        if user.has_perm(permission)
    ]

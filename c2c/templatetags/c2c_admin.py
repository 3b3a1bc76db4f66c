"""The admin index's front matter: the work waiting for staff, the last 30 days in figures, what gave up.

Part of the site's wiring (it reads every app); each count is one query.
"""

from django import template
from django.core.cache import cache
from django.urls import reverse

from businesses.enums import BusinessStatus
from businesses.models import Business
from c2c.models import FailedTask
from engagements.selectors import overdue_payments
from notifications.enums import EmailStatus
from notifications.models import Digest, Notification
from projects.enums import FlagStatus, ProjectStatus
from projects.models import Project, ProjectFlag
from projects.selectors import waiting_too_long
from reports.figures import headline

HEADLINE_CACHE_SECONDS = 600

register = template.Library()


@register.simple_tag(takes_context=True)
def work_queue(context) -> list[dict]:
    """What waits for staff, each with a count and a link to the filtered list, for what this user may view."""
    user = context["request"].user
    rows = [
        (
            "businesses.view_business",
            "Businesses waiting for review",
            Business.objects.filter(status=BusinessStatus.PENDING),
            reverse("admin:businesses_business_changelist") + f"?status__exact={BusinessStatus.PENDING}",
        ),
        (
            "projects.view_project",
            "Projects waiting for review",
            Project.objects.filter(status=ProjectStatus.SUBMITTED),
            reverse("admin:projects_project_changelist") + "?queue=review",
        ),
        (
            "projects.view_projectflag",
            "Open reports on projects",
            ProjectFlag.objects.filter(status=FlagStatus.OPEN),
            reverse("admin:projects_projectflag_changelist") + f"?status__exact={FlagStatus.OPEN}",
        ),
        (
            "engagements.view_engagement",
            "Engagements with payment overdue",
            overdue_payments(),
            reverse("admin:engagements_engagement_changelist") + "?payment_overdue=yes",
        ),
        (
            "projects.view_application",
            "Applications waiting longer than the reminder window",
            waiting_too_long(),
            reverse("admin:projects_application_changelist") + "?waiting=long",
        ),
        (
            "notifications.view_notification",
            "Emails that could not be delivered",
            Notification.objects.filter(email_status=EmailStatus.FAILED),
            reverse("admin:notifications_notification_changelist") + f"?email_status__exact={EmailStatus.FAILED}",
        ),
    ]
    return _counted(user, rows)


@register.simple_tag
def impact_headline() -> list:
    """The last 30 days' headline figures; cached, as the index is opened often and they move slowly."""
    return cache.get_or_set("admin:impact-headline", headline, HEADLINE_CACHE_SECONDS)


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
            "notifications.view_digest",
            "Digests that could not be delivered",
            Digest.objects.filter(status=EmailStatus.FAILED),
            reverse("admin:notifications_digest_changelist") + f"?status__exact={EmailStatus.FAILED}",
        ),
    ]
    return _counted(user, rows)


def _counted(user, rows) -> list[dict]:
    """(permission, label, queryset, url) rows → what this user may view, counted (one query each)."""
    return [
        {"label": label, "count": queryset.count(), "url": url}
        for permission, label, queryset, url in rows
        if user.has_perm(permission)
    ]

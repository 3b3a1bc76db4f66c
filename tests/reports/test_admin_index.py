"""Staff's front page leads with the work waiting for them, then the last 30 days, then the models."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from businesses.enums import BusinessStatus
from engagements.enums import EngagementStatus
from notifications.enums import EmailStatus
from projects.enums import ApplicationStatus, FlagReason, ProjectStatus
from projects.models import Application, ProjectFlag
from tests.engagements.factories import EngagementFactory
from tests.factories import BusinessFactory, StaffFactory, UserFactory
from tests.helpers import signed_in_client
from tests.notifications.factories import NotificationFactory
from tests.projects.factories import ApplicationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def queue_row(label: str, url: str, count: int) -> str:
    return f'<th scope="row"><a href="{url}">{label}</a></th>\n      <td><strong>{count}</strong></td>'


def test_the_index_counts_each_queue_and_links_to_its_filtered_list(django_assert_max_num_queries):
    BusinessFactory.create_batch(2, status=BusinessStatus.PENDING)
    ProjectFactory.create_batch(3, status=ProjectStatus.SUBMITTED)
    ProjectFlag.objects.create(project=ProjectFactory(), reporter=UserFactory(), reason=FlagReason.SCAM)
    EngagementFactory(status=EngagementStatus.COMPLETED, completed_at=timezone.now() - timedelta(days=30))
    waiting = ApplicationFactory(status=ApplicationStatus.SUBMITTED)
    Application.objects.filter(pk=waiting.pk).update(status_changed_at=timezone.now() - timedelta(days=8))
    ApplicationFactory(status=ApplicationStatus.SUBMITTED)  # a day old: not yet overdue for an answer
    NotificationFactory(email_status=EmailStatus.FAILED)
    client = signed_in_client(StaffFactory())

    client.get(reverse("admin:index"))  # the headline figures are cached after the first visit
    with django_assert_max_num_queries(20):
        page = client.get(reverse("admin:index")).content.decode()

    expected = [
        (
            "Businesses waiting for review",
            reverse("admin:businesses_business_changelist") + "?status__exact=pending",
            2,
        ),
        ("Projects waiting for review", reverse("admin:projects_project_changelist") + "?queue=review", 3),
        ("Open reports on projects", reverse("admin:projects_projectflag_changelist") + "?status__exact=open", 1),
        (
            "Engagements with payment overdue",
            reverse("admin:engagements_engagement_changelist") + "?payment_overdue=yes",
            1,
        ),
        (
            "Applications waiting longer than the reminder window",
            reverse("admin:projects_application_changelist") + "?waiting=long",
            1,
        ),
        (
            "Emails that could not be delivered",
            reverse("admin:notifications_notification_changelist") + "?email_status__exact=failed",
            1,
        ),
    ]
    for label, url, count in expected:
        assert queue_row(label, url, count) in page, label
    assert page.index("Waiting for staff") < page.index("The last 30 days") < page.index("Business partners")
    assert "Accounts" not in page.split("The last 30 days")[1]  # two groups were both called "Accounts"


def test_the_waiting_filter_lists_exactly_the_applications_counted():
    waiting = ApplicationFactory(status=ApplicationStatus.SHORTLISTED)
    Application.objects.filter(pk=waiting.pk).update(status_changed_at=timezone.now() - timedelta(days=8))
    fresh = ApplicationFactory(status=ApplicationStatus.SUBMITTED)
    client = signed_in_client(StaffFactory())

    page = client.get(reverse("admin:projects_application_changelist") + "?waiting=long").content.decode()

    assert reverse("admin:projects_application_change", args=[waiting.pk]) in page
    assert reverse("admin:projects_application_change", args=[fresh.pk]) not in page


def test_money_in_admin_lists_reads_like_the_site():
    ProjectFactory(fee="1200.00", title="Bookkeeping clean-up")
    client = signed_in_client(StaffFactory())

    page = client.get(reverse("admin:projects_project_changelist")).content.decode()

    assert "$1,200" in page and "1200.00" not in page

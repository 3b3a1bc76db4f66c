"""Each business's public record: the figures, the new-partner threshold, its page and the project page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from businesses.enums import BusinessStatus
from engagements.enums import EngagementStatus
from projects.enums import ApplicationStatus, ProjectStatus
from projects.models import Application
from reports import records, tasks
from tests.engagements.factories import EngagementFactory
from tests.factories import BusinessFactory
from tests.projects.factories import ApplicationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def applications(project, count, *, status=ApplicationStatus.DECLINED, answered_after=None):
    for _ in range(count):
        made = ApplicationFactory(project=project, status=status)
        Application.objects.filter(pk=made.pk).update(
            created_at=NOW - timedelta(days=20),
            first_response_at=NOW - timedelta(days=20) + answered_after if answered_after is not None else None,
        )


def completed(business, count, *, paid_after_days=None):
    for _ in range(count):
        done_at = NOW - timedelta(days=30)
        received = done_at + timedelta(days=paid_after_days) if paid_after_days is not None else None
        EngagementFactory(
            project=ProjectFactory(business=business, status=ProjectStatus.COMPLETED),
            status=EngagementStatus.COMPLETED,
            completed_at=done_at,
            payment_sent_at=received,
            payment_received_at=received,
        )


def test_a_business_with_little_history_is_a_new_partner():
    business = BusinessFactory()
    completed(business, 2, paid_after_days=3)
    applications(ProjectFactory(business=business), 7, answered_after=timedelta(days=1))

    assert records.compute_record(business.pk).is_new_partner


@pytest.mark.parametrize(("engagements", "applied"), [(3, 0), (0, 10)])
def test_three_completed_engagements_or_ten_applications_are_enough_history(engagements, applied):
    business = BusinessFactory()
    completed(business, engagements, paid_after_days=3)
    applications(ProjectFactory(business=business), applied, answered_after=timedelta(days=1))

    assert not records.compute_record(business.pk).is_new_partner


def test_the_record_figures():
    business = BusinessFactory()
    project = ProjectFactory(business=business)
    applications(project, 2, answered_after=timedelta(days=1))
    applications(project, 1, answered_after=timedelta(days=5))
    applications(project, 1, status=ApplicationStatus.EXPIRED)  # owed an answer, never got one
    applications(project, 1, status=ApplicationStatus.SUBMITTED)  # still waiting for a first look: not counted
    applications(project, 1, status=ApplicationStatus.WITHDRAWN)  # withdrawn before any answer: not counted
    completed(business, 3, paid_after_days=2)
    completed(business, 1, paid_after_days=20)  # paid, but after the 14-day window

    record = records.compute_record(business.pk)

    assert record.completed_engagements == 4
    assert record.median_days_to_answer == 1.0
    # 3 answered and 1 expired above, and the 4 completed engagements' applications (accepted offers)
    assert record.answered_share == 7 / 8
    assert record.paid_on_time_share == 3 / 4


def test_the_worker_refreshes_the_cached_records():
    business = BusinessFactory(status=BusinessStatus.APPROVED)
    assert records.record_for(business.pk).completed_engagements == 0
    completed(business, 3, paid_after_days=1)
    assert records.record_for(business.pk).completed_engagements == 0  # still the cached one

    tasks.refresh_business_records.delay()

    assert records.record_for(business.pk).completed_engagements == 3


def test_the_public_page_lists_only_open_projects_and_shows_the_record(client):
    business = BusinessFactory(status=BusinessStatus.APPROVED, name="Riverside Food Bank")
    ProjectFactory(business=business, title="Instagram month", status=ProjectStatus.PUBLISHED)
    ProjectFactory(business=business, title="Secret draft", status=ProjectStatus.DRAFT)
    completed(business, 3, paid_after_days=1)
    cache.clear()

    page = client.get(reverse("businesses:public", args=[business.pk])).content.decode()

    assert "Riverside Food Bank" in page and "Instagram month" in page and "Secret draft" not in page
    assert 'Projects completed</dt><dd class="col-5">3</dd>' in page
    assert "New partner" not in page


@pytest.mark.parametrize("status", [BusinessStatus.PENDING, BusinessStatus.SUSPENDED, BusinessStatus.REJECTED])
def test_a_business_not_approved_has_no_public_page(client, status):
    business = BusinessFactory(status=status)

    assert client.get(reverse("businesses:public", args=[business.pk])).status_code == 404


def test_students_see_the_record_on_a_project_page_before_applying(client):
    project = ProjectFactory(business=BusinessFactory(status=BusinessStatus.APPROVED), fee=Decimal("600"))

    page = client.get(project.get_absolute_url()).content.decode()

    assert "New partner" in page
    assert reverse("businesses:public", args=[project.business.pk]) in page


@pytest.mark.parametrize("open_projects", [1, 6])
def test_the_public_page_makes_the_same_few_queries_however_many_projects_it_lists(
    client, django_assert_num_queries, open_projects
):
    business = BusinessFactory(status=BusinessStatus.APPROVED)
    for _ in range(open_projects):
        ProjectFactory(business=business, status=ProjectStatus.PUBLISHED)
    records.record_for(business.pk)  # cached, as the worker keeps it

    # The business, the page's count and its projects with their business.
    with django_assert_num_queries(3):
        page = client.get(reverse("businesses:public", args=[business.pk])).content.decode()

    assert page.count('class="card card-project') == open_projects

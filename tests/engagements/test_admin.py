from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.enums import FeedbackDirection
from engagements.models import Feedback, Message
from tests.engagements.factories import EngagementFactory, SubmissionFactory
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:engagements_engagement_changelist"


def test_staff_filter_engagements_with_overdue_payment(client, staff):
    long_ago = timezone.now() - timedelta(days=20)
    overdue = EngagementFactory(completed=True, completed_at=long_ago, project__title="Overdue bakery campaign")
    EngagementFactory(
        completed=True,
        completed_at=long_ago,
        payment_sent_at=long_ago,
        payment_received_at=long_ago,
        project__title="Paid florist audit",
    )
    EngagementFactory(completed=True, project__title="Recent bookshop survey")
    EngagementFactory(project__title="Active cafe website")
    sign_in(client, staff)

    body = client.get(reverse(CHANGELIST), {"payment_overdue": "yes"}).content.decode()

    assert overdue.project.title in body
    for title in ("Paid florist audit", "Recent bookshop survey", "Active cafe website"):
        assert title not in body


def test_staff_search_by_project_business_or_student_email(client, staff):
    wanted = EngagementFactory(project__title="Donor database cleanup", project__business__name="Riverside Food Bank")
    EngagementFactory(project__title="Menu redesign")
    sign_in(client, staff)

    for query in ("Donor database", "Riverside", wanted.student.email):
        body = client.get(reverse(CHANGELIST), {"q": query}).content.decode()
        assert "Donor database cleanup" in body and "Menu redesign" not in body, query


def test_the_engagement_page_shows_hand_ins_messages_and_feedback_read_only(client, staff):
    engagement = EngagementFactory(completed=True)
    SubmissionFactory(engagement=engagement, note="Final numbers attached")
    Message.objects.create(engagement=engagement, author=engagement.student, body="Invoice sent on Friday")
    Feedback.objects.create(
        engagement=engagement, direction=FeedbackDirection.STUDENT_TO_BUSINESS, rating=4, comment="Clear brief"
    )
    sign_in(client, staff)

    response = client.get(reverse("admin:engagements_engagement_change", args=[engagement.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Final numbers attached", "Invoice sent on Friday", "Clear brief"):
        assert text in body
    assert 'name="_save"' not in body
    assert client.get(reverse("admin:engagements_engagement_add")).status_code == 403
    assert client.get(reverse("admin:engagements_message_changelist")).status_code == 200
    assert client.get(reverse("admin:engagements_feedback_changelist")).status_code == 200

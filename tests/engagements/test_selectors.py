from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from engagements import selectors
from engagements.enums import FeedbackDirection
from engagements.models import Feedback
from tests.engagements.factories import EngagementFactory
from tests.factories import BusinessOwnerFactory, StaffFactory
from tests.students.factories import student as make_student

pytestmark = pytest.mark.django_db


def leave(engagement, direction, comment):
    return Feedback.objects.create(engagement=engagement, direction=direction, rating=4, comment=comment)


def comments(engagement, user):
    fresh = selectors.engagement_for_user_or_404(user, engagement.pk)
    return sorted(item.comment for item in selectors.visible_feedback(fresh, user))


def test_feedback_stays_hidden_from_the_other_side_until_both_have_written():
    engagement = EngagementFactory(completed=True)
    owner = BusinessOwnerFactory(business=engagement.business)
    leave(engagement, FeedbackDirection.BUSINESS_TO_STUDENT, "Great work")

    assert comments(engagement, owner) == ["Great work"]
    assert comments(engagement, engagement.student) == []
    assert comments(engagement, StaffFactory()) == ["Great work"]

    leave(engagement, FeedbackDirection.STUDENT_TO_BUSINESS, "Kind and clear")
    assert comments(engagement, engagement.student) == ["Great work", "Kind and clear"]
    assert comments(engagement, owner) == ["Great work", "Kind and clear"]


def test_feedback_is_revealed_once_the_reveal_period_has_passed():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        engagement = EngagementFactory(completed=True)
        leave(engagement, FeedbackDirection.BUSINESS_TO_STUDENT, "Great work")

        traveller.shift(timedelta(days=14) - timedelta(seconds=1))
        assert comments(engagement, engagement.student) == []

        traveller.shift(timedelta(seconds=1))
        assert comments(engagement, engagement.student) == ["Great work"]


def test_each_user_sees_only_their_own_engagements():
    mine = EngagementFactory()
    theirs = EngagementFactory()
    owner = BusinessOwnerFactory(business=mine.business)

    assert list(selectors.engagements_for(mine.student)) == [mine]
    assert list(selectors.engagements_for(owner)) == [mine]
    assert list(selectors.engagements_for(make_student())) == []
    assert set(selectors.engagements_for(StaffFactory())) == {mine, theirs}

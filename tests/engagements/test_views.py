import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements import services
from engagements.enums import EngagementStatus, FeedbackDirection, SubmissionStatus
from engagements.models import DeliverableSubmission, Feedback, Message
from notifications.models import Notification
from tests.engagements.factories import EngagementFactory, SubmissionFactory, accept_all
from tests.factories import BusinessOwnerFactory, sign_in

pytestmark = pytest.mark.django_db


def page_url(engagement):
    return reverse("engagements:detail", args=[engagement.pk])


def deliverables(engagement):
    return list(engagement.project.deliverables.order_by("position"))


def text(response):
    return html.unescape(response.content.decode())


# Who can see what


def test_the_student_and_the_business_see_the_checklist_with_each_state(client, engagement, student, owner):
    first, second, third = deliverables(engagement)
    SubmissionFactory(engagement=engagement, deliverable=first, status=SubmissionStatus.ACCEPTED)
    SubmissionFactory(engagement=engagement, deliverable=second, status=SubmissionStatus.CHANGES_REQUESTED)

    for user in (student, owner):
        client.force_login(user)
        body = text(client.get(page_url(engagement)))
        assert body.count("<h1") == 1
        assert f"<title>{engagement.project.title} · engagement" in body
        for title in (first.title, second.title, third.title):
            assert title in body
        assert "Accepted" in body and "Changes requested" in body and "Not handed in yet" in body
        assert "1 of 3 accepted" in body


def test_staff_can_look_but_not_act(client, engagement, staff):
    SubmissionFactory(engagement=engagement)
    sign_in(client, staff)
    body = text(client.get(page_url(engagement)))
    assert "viewing this engagement as staff" in body
    assert reverse("engagements:message", args=[engagement.pk]) not in body
    assert "Hand in" not in body and ">Review<" not in body


@pytest.fixture
def outsider(request, other_student, other_owner):
    return {"student": other_student, "business": other_owner}[request.param]


@pytest.mark.parametrize("outsider", ["student", "business"], indirect=True)
def test_another_student_or_business_gets_404_everywhere(client, engagement, outsider):
    submission = SubmissionFactory(
        engagement=engagement, link="", file=SimpleUploadedFile("plan.pdf", b"%PDF"), filename="plan.pdf"
    )
    deliverable = deliverables(engagement)[1]
    client.force_login(outsider)
    pk = engagement.pk
    gets = [
        reverse("engagements:detail", args=[pk]),
        reverse("engagements:submission_file", args=[submission.pk]),
        reverse("engagements:review", args=[pk]),
        reverse("engagements:hand_in", args=[pk]),
        reverse("engagements:complete", args=[pk]),
        reverse("engagements:payment_sent", args=[pk]),
        reverse("engagements:payment_received", args=[pk]),
        reverse("engagements:feedback", args=[pk]),
    ]
    posts = {
        reverse("engagements:hand_in", args=[pk]): {f"link_{deliverable.pk}": "https://x.org"},
        reverse("engagements:review", args=[pk]): {f"decision_{submission.pk}": "accept"},
        reverse("engagements:message", args=[pk]): {"body": "Hello"},
        reverse("engagements:complete", args=[pk]): {},
        reverse("engagements:payment_sent", args=[pk]): {},
        reverse("engagements:payment_received", args=[pk]): {},
        reverse("engagements:feedback", args=[pk]): {"rating": "5", "comment": "Hi"},
    }
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url

    assert DeliverableSubmission.objects.count() == 1
    assert not Message.objects.exists() and not Feedback.objects.exists()
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE


def test_signed_out_visitors_are_sent_to_log_in(client, engagement):
    response = client.get(page_url(engagement))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# The private file


def test_the_file_is_served_privately_to_the_two_sides_and_staff(client, engagement, student, owner, staff):
    submission = services.submit_deliverable(
        actor=student,
        engagement=engagement,
        deliverable=deliverables(engagement)[0],
        file=SimpleUploadedFile("Final report.pdf", b"%PDF-1.4 report"),
    )
    url = reverse("engagements:submission_file", args=[submission.pk])
    for user in (student, owner, staff):
        sign_in(client, user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
        assert response["Content-Disposition"].startswith("attachment")
        assert "Final report.pdf" in response["Content-Disposition"]
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"


def test_a_link_only_hand_in_has_no_file(client, engagement, student):
    submission = SubmissionFactory(engagement=engagement)
    client.force_login(student)
    assert client.get(reverse("engagements:submission_file", args=[submission.pk])).status_code == 404


# Handing in and reviewing


def hand_in_url(engagement):
    return reverse("engagements:hand_in", args=[engagement.pk])


def review_url(engagement):
    return reverse("engagements:review", args=[engagement.pk])


def test_the_student_hands_in_a_file_from_the_page(client, engagement, student, owner):
    deliverable = deliverables(engagement)[0]
    client.force_login(student)
    assert hand_in_url(engagement) in text(client.get(page_url(engagement)))
    assert deliverable.title in text(client.get(hand_in_url(engagement)))

    response = client.post(
        hand_in_url(engagement),
        {
            f"note_{deliverable.pk}": "First draft",
            f"file_{deliverable.pk}": SimpleUploadedFile("calendar.xlsx", b"cells"),
        },
        follow=True,
    )

    submission = DeliverableSubmission.objects.get()
    assert (submission.deliverable, submission.note, submission.filename) == (
        deliverable,
        "First draft",
        "calendar.xlsx",
    )
    assert "is handed in" in text(response)
    assert "Waiting for review" in text(response)
    assert Notification.objects.filter(recipient=owner).count() == 1


def test_the_student_hands_in_several_deliverables_at_once_and_the_business_hears_once(
    client, engagement, student, owner
):
    first, second, third = deliverables(engagement)
    client.force_login(student)

    response = client.post(
        hand_in_url(engagement),
        {
            f"link_{first.pk}": "docs.example.org/calendar",
            f"note_{first.pk}": "The whole month",
            f"link_{third.pk}": "https://docs.example.org/report",
        },
        follow=True,
    )

    assert f"“{first.title}” and “{third.title}” are handed in" in text(response)
    handed_in = {item.deliverable: item.link for item in DeliverableSubmission.objects.all()}
    assert handed_in == {first: "https://docs.example.org/calendar", third: "https://docs.example.org/report"}
    [notice] = Notification.objects.filter(recipient=owner)
    assert "handed in 2 deliverables" in notice.title
    assert first.title in notice.body and third.title in notice.body and second.title not in notice.body
    assert "The whole month" in notice.body


def test_a_too_large_file_gets_a_clear_message_and_keeps_the_note(client, engagement, student, settings):
    settings.C2C_SUBMISSION_FILE_MAX_BYTES = 1024
    client.force_login(student)
    deliverable = deliverables(engagement)[0]

    response = client.post(
        hand_in_url(engagement),
        {f"note_{deliverable.pk}": "Big video", f"file_{deliverable.pk}": SimpleUploadedFile("demo.mp4", b"x" * 2048)},
    )

    body = text(response)
    assert response.status_code == 200
    assert "This file is 2.0\xa0KB; the limit is 1.0\xa0KB" in body
    assert "Big video" in body
    assert not DeliverableSubmission.objects.exists()


def test_handing_in_nothing_asks_for_a_link_or_file(client, engagement, student):
    client.force_login(student)
    deliverable = deliverables(engagement)[0]
    assert "Add a link or a file for at least one deliverable." in text(client.post(hand_in_url(engagement), {}))
    response = client.post(hand_in_url(engagement), {f"note_{deliverable.pk}": "Forgot it"})
    assert "Add a link or a file for this deliverable too, or clear its note." in text(response)
    assert "Forgot it" in text(response)
    assert not DeliverableSubmission.objects.exists()


def test_an_accepted_deliverable_is_not_offered_again_and_refuses_a_hand_in(client, engagement, student):
    deliverable = deliverables(engagement)[0]
    SubmissionFactory(engagement=engagement, deliverable=deliverable, status=SubmissionStatus.ACCEPTED)
    client.force_login(student)
    assert f"#deliverable-{deliverable.pk}" not in text(client.get(page_url(engagement)))
    assert f'id="deliverable-{deliverable.pk}"' not in text(client.get(hand_in_url(engagement)))

    client.post(hand_in_url(engagement), {f"link_{deliverable.pk}": "https://x.org"})

    assert DeliverableSubmission.objects.count() == 1
    with pytest.raises(Exception, match="already accepted"):
        services.submit_deliverable(actor=student, engagement=engagement, deliverable=deliverable, link="x.org")


def test_the_business_accepts_from_the_review_page(client, engagement, student, owner):
    submission = SubmissionFactory(engagement=engagement, note="Have a look")
    client.force_login(owner)
    assert "Have a look" in text(client.get(review_url(engagement)))

    response = client.post(
        review_url(engagement), {f"decision_{submission.pk}": "accept", f"note_{submission.pk}": ""}, follow=True
    )

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert "You accepted" in text(response)
    assert Notification.objects.filter(recipient=student).count() == 1


def test_the_business_reviews_every_hand_in_on_one_page_and_the_student_hears_once(client, engagement, student, owner):
    first, second, third = (
        SubmissionFactory(engagement=engagement, deliverable=item) for item in deliverables(engagement)
    )
    client.force_login(owner)
    page = text(client.get(review_url(engagement)))
    # Accept is ticked for each, so when all is good one click accepts everything.
    assert len(re.findall(r'<input type="radio"[^>]*name="decision_\d+" value="accept"[^>]*checked', page)) == 3

    response = client.post(
        review_url(engagement),
        {
            f"decision_{first.pk}": "accept",
            f"decision_{second.pk}": "changes",
            f"note_{second.pk}": "Use our colours.",
            f"decision_{third.pk}": "later",
        },
        follow=True,
    )

    statuses = {item.pk: item.status for item in DeliverableSubmission.objects.all()}
    assert statuses == {
        first.pk: SubmissionStatus.ACCEPTED,
        second.pk: SubmissionStatus.CHANGES_REQUESTED,
        third.pk: SubmissionStatus.SUBMITTED,
    }
    assert "You accepted" in text(response) and "You asked for changes to" in text(response)
    [notice] = Notification.objects.filter(recipient=student)
    assert "Use our colours." in notice.body


def test_asking_for_changes_without_a_note_shows_an_error(client, engagement, owner):
    submission = SubmissionFactory(engagement=engagement)
    client.force_login(owner)

    response = client.post(
        review_url(engagement), {f"decision_{submission.pk}": "changes", f"note_{submission.pk}": ""}
    )

    assert "Say what needs to change" in text(response)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_the_student_cannot_review(client, engagement, student):
    submission = SubmissionFactory(engagement=engagement)
    client.force_login(student)

    response = client.post(review_url(engagement), {f"decision_{submission.pk}": "accept"}, follow=True)

    assert "Only the business can review" in text(response)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


# Messages


def test_messages_are_posted_at_the_bottom_newest_last(client, engagement, student, owner):
    Message.objects.create(engagement=engagement, author=owner, body="Welcome aboard")
    client.force_login(student)

    response = client.post(
        reverse("engagements:message", args=[engagement.pk]), {"body": "Thanks, starting today"}, follow=True
    )

    body = text(response)
    assert "Message sent." in body
    assert body.index("Welcome aboard") < body.index("Thanks, starting today")
    assert Notification.objects.filter(recipient=owner).count() == 1


def test_an_empty_or_too_long_message_is_refused_with_the_text_kept(client, engagement, student):
    client.force_login(student)
    url = reverse("engagements:message", args=[engagement.pk])

    assert "This field is required" in text(client.post(url, {"body": ""}))
    too_long = client.post(url, {"body": "a" * 5001})
    assert "at most 5000 characters" in text(too_long)
    assert "a" * 5001 in text(too_long)
    assert not Message.objects.exists()


# Completion and payment


def test_completion_asks_first_then_completes(client, engagement, student, owner):
    accept_all(engagement)
    client.force_login(owner)
    assert reverse("engagements:complete", args=[engagement.pk]) in text(client.get(page_url(engagement)))

    confirm_page = client.get(reverse("engagements:complete", args=[engagement.pk]))
    assert "Yes, mark it complete" in text(confirm_page)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE

    response = client.post(reverse("engagements:complete", args=[engagement.pk]), follow=True)

    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.COMPLETED
    assert "The engagement is complete" in text(response)
    assert reverse("engagements:payment_sent", args=[engagement.pk]) in text(response)


def test_completing_can_confirm_the_payment_and_leave_feedback_in_the_same_step(client, engagement, student, owner):
    accept_all(engagement)
    client.force_login(owner)
    url = reverse("engagements:complete", args=[engagement.pk])
    assert "I've already sent the fee of $1,200 to the student" in text(client.get(url))

    half_done = client.post(url, {"rating": "5", "comment": ""})
    assert "Write a few words about how it went" in text(half_done)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE

    response = client.post(
        url, {"payment_sent": "on", "rating": "5", "comment": "Careful, quick work.", "is_reference": "on"}, follow=True
    )

    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.COMPLETED and engagement.payment_sent_at is not None
    feedback = Feedback.objects.get()
    assert (feedback.direction, feedback.rating, feedback.is_reference) == (
        FeedbackDirection.BUSINESS_TO_STUDENT,
        5,
        True,
    )
    assert "The engagement is complete. We've told the student the fee is on its way." in text(response)
    [notice] = Notification.objects.filter(recipient=student)
    assert "confirmed they sent your fee of $1,200" in notice.body and "left feedback" in notice.body


def test_the_student_confirms_the_fee_and_leaves_feedback_in_one_step(client):
    engagement = EngagementFactory(completed=True)
    owner = BusinessOwnerFactory(business=engagement.business)
    client.force_login(engagement.student)

    response = client.post(
        reverse("engagements:payment_received", args=[engagement.pk]),
        {"rating": "4", "comment": "Clear brief and quick answers."},
        follow=True,
    )

    engagement.refresh_from_db()
    assert engagement.payment_received_at is not None
    assert Feedback.objects.get().direction == FeedbackDirection.STUDENT_TO_BUSINESS
    assert "you received the fee. Thanks for your feedback." in text(response)
    [notice] = Notification.objects.filter(recipient=owner)
    assert "received the fee" in notice.title and "also left their feedback" in notice.body


def test_the_page_says_why_completion_is_not_offered_yet(client, engagement, owner):
    client.force_login(owner)
    body = text(client.get(page_url(engagement)))
    assert "once every deliverable is accepted" in body
    assert reverse("engagements:complete", args=[engagement.pk]) not in body

    response = client.post(reverse("engagements:complete", args=[engagement.pk]), follow=True)
    assert "Accept every deliverable" in text(response)


def test_the_student_cannot_complete_from_the_page(client, engagement, student):
    accept_all(engagement)
    client.force_login(student)
    response = client.post(reverse("engagements:complete", args=[engagement.pk]), follow=True)
    assert "Only the business can mark" in text(response)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE


def test_both_sides_confirm_the_payment_after_a_confirm_step(client):
    engagement = EngagementFactory(completed=True)
    owner = BusinessOwnerFactory(business=engagement.business)

    client.force_login(owner)
    assert "Yes, I sent the fee" in text(client.get(reverse("engagements:payment_sent", args=[engagement.pk])))
    sent = client.post(reverse("engagements:payment_sent", args=[engagement.pk]), follow=True)
    assert "fee is on its way" in text(sent)
    received_by_business = client.post(reverse("engagements:payment_received", args=[engagement.pk]), follow=True)
    assert "Only the student can confirm" in text(received_by_business)

    client.force_login(engagement.student)
    received = client.post(reverse("engagements:payment_received", args=[engagement.pk]), follow=True)
    assert "you received the fee" in text(received)
    assert "Paid and confirmed by both sides." in text(received)
    engagement.refresh_from_db()
    assert engagement.is_paid


def test_payment_cannot_be_confirmed_from_the_page_before_completion(client, engagement, owner):
    client.force_login(owner)
    response = client.post(reverse("engagements:payment_sent", args=[engagement.pk]), follow=True)
    assert "after the business marks the engagement complete" in text(response)
    engagement.refresh_from_db()
    assert engagement.payment_sent_at is None


# Feedback


def test_feedback_form_saves_the_reference_and_refuses_a_second_go(client):
    engagement = EngagementFactory(completed=True)
    owner = BusinessOwnerFactory(business=engagement.business)
    client.force_login(owner)
    url = reverse("engagements:feedback", args=[engagement.pk])
    assert "Offer this as a reference" in text(client.get(url))

    response = client.post(url, {"rating": "5", "comment": "Brilliant", "is_reference": "on"}, follow=True)

    feedback = Feedback.objects.get()
    assert (feedback.direction, feedback.rating, feedback.is_reference) == (
        FeedbackDirection.BUSINESS_TO_STUDENT,
        5,
        True,
    )
    assert "Thanks for your feedback." in text(response)
    assert "Brilliant" in text(response)

    again = client.post(url, {"rating": "1", "comment": "Second thoughts"}, follow=True)
    assert "already left feedback" in text(again)
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize("rating", ["0", "6"])
def test_a_rating_outside_one_to_five_is_refused_on_the_form(client, rating):
    engagement = EngagementFactory(completed=True)
    client.force_login(engagement.student)
    response = client.post(reverse("engagements:feedback", args=[engagement.pk]), {"rating": rating, "comment": "Fine"})
    assert "Select a valid choice" in text(response)
    assert "Fine" in text(response)
    assert not Feedback.objects.exists()


def test_students_are_not_offered_the_reference_box(client):
    engagement = EngagementFactory(completed=True)
    client.force_login(engagement.student)
    assert "Offer this as a reference" not in text(client.get(reverse("engagements:feedback", args=[engagement.pk])))


def test_feedback_before_completion_is_refused(client, engagement, student):
    client.force_login(student)
    response = client.post(
        reverse("engagements:feedback", args=[engagement.pk]), {"rating": "5", "comment": "Early"}, follow=True
    )
    assert "Feedback opens once" in text(response)
    assert not Feedback.objects.exists()


def test_the_page_hides_the_other_sides_feedback_until_both_wrote(client):
    engagement = EngagementFactory(completed=True)
    owner = BusinessOwnerFactory(business=engagement.business)
    Feedback.objects.create(
        engagement=engagement, direction=FeedbackDirection.BUSINESS_TO_STUDENT, rating=5, comment="Secret praise"
    )
    client.force_login(engagement.student)
    body = text(client.get(page_url(engagement)))
    assert "Secret praise" not in body
    assert "The other side has written their feedback" in body

    client.force_login(owner)
    assert "Secret praise" in text(client.get(page_url(engagement)))


# The list


def test_the_list_shows_each_user_their_own_engagements(client, engagement, student, owner, other_student):
    elsewhere = EngagementFactory()
    for user in (student, owner):
        client.force_login(user)
        body = text(client.get(reverse("engagements:list")))
        assert engagement.project.title in body
        assert elsewhere.project.title not in body
        assert "0 of 3 deliverables accepted" in body

    client.force_login(other_student)
    body = text(client.get(reverse("engagements:list")))
    assert "No engagements yet." in body and reverse("projects:browse") in body


def test_the_list_paginates(client):
    owner = BusinessOwnerFactory()
    for _ in range(21):
        EngagementFactory(project__business=owner.membership.business)
    client.force_login(owner)
    first = text(client.get(reverse("engagements:list")))
    second = text(client.get(reverse("engagements:list"), {"page": 2}))
    assert "Page 1 of 2" in first and "Page 2 of 2" in second


# Query-count guards


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def busy_engagement(size):
    engagement = EngagementFactory(project__deliverables=[f"Deliverable {n}" for n in range(size)])
    for deliverable in engagement.project.deliverables.all():
        SubmissionFactory(engagement=engagement, deliverable=deliverable, status=SubmissionStatus.CHANGES_REQUESTED)
        SubmissionFactory(engagement=engagement, deliverable=deliverable)
    for n in range(size):
        Message.objects.create(engagement=engagement, author=engagement.student, body=f"Update {n}")
    return engagement


@pytest.mark.parametrize("as_business", [False, True])
def test_the_engagement_page_runs_the_same_queries_for_1_or_5_items(client, django_assert_num_queries, as_business):
    small, large = busy_engagement(1), busy_engagement(5)
    small_user = BusinessOwnerFactory(business=small.business) if as_business else small.student
    large_user = BusinessOwnerFactory(business=large.business) if as_business else large.student

    client.force_login(small_user)
    baseline = count_queries(client, page_url(small))
    client.force_login(large_user)
    with django_assert_num_queries(baseline):
        client.get(page_url(large))


def test_the_list_page_runs_the_same_queries_for_1_or_5_engagements(client, django_assert_num_queries):
    few, many = BusinessOwnerFactory(), BusinessOwnerFactory()
    EngagementFactory(project__business=few.membership.business)
    for _ in range(5):
        accept_all(EngagementFactory(project__business=many.membership.business))

    client.force_login(few)
    baseline = count_queries(client, reverse("engagements:list"))
    client.force_login(many)
    with django_assert_num_queries(baseline):
        client.get(reverse("engagements:list"))

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from engagements import rules, services
from engagements.enums import EngagementStatus, FeedbackDirection, SubmissionStatus
from engagements.models import DeliverableSubmission, Feedback, Message
from engagements.rules import Action
from notifications.enums import Kind
from notifications.models import Notification
from projects.enums import ProjectStatus
from tests.engagements.factories import EngagementFactory, SubmissionFactory, accept_all
from tests.factories import BusinessOwnerFactory, StaffFactory
from tests.helpers import status_changes

pytestmark = pytest.mark.django_db


def first_deliverable(engagement):
    return engagement.project.deliverables.order_by("position").first()


def notices(user, kind=None):
    queryset = Notification.objects.filter(recipient=user)
    return list(queryset.filter(kind=kind) if kind else queryset)


STUDENT_ACTIVE = {Action.SUBMIT, Action.MESSAGE}
BUSINESS_ACTIVE = {Action.REVIEW, Action.MESSAGE}


def _engagement_in(state):
    if state == "active":
        return EngagementFactory()
    engagement = EngagementFactory()
    accept_all(engagement)
    if state == "all_accepted":
        return engagement
    engagement.status, engagement.completed_at = EngagementStatus.COMPLETED, engagement.started_at
    engagement.save()
    if state == "completed":
        return engagement
    engagement.payment_sent_at = engagement.payment_received_at = engagement.completed_at
    engagement.save()
    for direction in FeedbackDirection:
        Feedback.objects.create(engagement=engagement, direction=direction, rating=5, comment="Great")
    return engagement


@pytest.mark.parametrize(
    ("state", "student_can", "business_can"),
    [
        ("active", STUDENT_ACTIVE, BUSINESS_ACTIVE),
        ("all_accepted", STUDENT_ACTIVE, BUSINESS_ACTIVE | {Action.COMPLETE}),
        (
            "completed",
            {Action.MESSAGE, Action.CONFIRM_PAYMENT_RECEIVED, Action.GIVE_FEEDBACK},
            {Action.MESSAGE, Action.CONFIRM_PAYMENT_SENT, Action.GIVE_FEEDBACK},
        ),
        ("paid_and_reviewed", {Action.MESSAGE}, {Action.MESSAGE}),
    ],
)
def test_each_side_may_do_exactly_what_the_state_allows(state, student_can, business_can):
    engagement = _engagement_in(state)
    owner = BusinessOwnerFactory(business=engagement.business)
    assert rules.allowed_actions(engagement, engagement.student) == student_can
    assert rules.allowed_actions(engagement, owner) == business_can
    assert rules.allowed_actions(engagement, StaffFactory()) == set()
    assert rules.allowed_actions(engagement, BusinessOwnerFactory()) == set()


# Hand-ins


def test_student_hands_in_a_link_and_every_business_member_hears(
    engagement, student, owner, colleague, django_capture_on_commit_callbacks, mailoutbox
):
    deliverable = first_deliverable(engagement)
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submit_deliverable(
            actor=student,
            engagement=engagement,
            deliverable=deliverable,
            link="https://docs.example.org/plan",
            note="v1",
        )

    submission.refresh_from_db()
    assert (submission.link, submission.note, submission.status) == (
        "https://docs.example.org/plan",
        "v1",
        SubmissionStatus.SUBMITTED,
    )
    for member in (owner, colleague):
        [notice] = notices(member, Kind.ENGAGEMENT)
        assert deliverable.title in notice.title
        assert notice.url == f"/engagements/{engagement.pk}/"
    assert notices(student) == []
    assert sorted(message.to[0] for message in mailoutbox) == sorted([owner.email, colleague.email])


def test_a_file_hand_in_keeps_its_name_in_private_storage(engagement, student, private_files):
    upload = SimpleUploadedFile("Content plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    submission = services.submit_deliverable(
        actor=student, engagement=engagement, deliverable=first_deliverable(engagement), file=upload
    )
    assert submission.filename == "Content plan.pdf"
    assert private_files.exists(submission.file.name)
    assert "Content plan" not in submission.file.name


def test_a_hand_in_needs_a_link_or_a_file(engagement, student):
    with pytest.raises(ValidationError, match="link or a file"):
        services.submit_deliverable(
            actor=student, engagement=engagement, deliverable=first_deliverable(engagement), note="only a note"
        )
    assert not DeliverableSubmission.objects.exists()


def test_a_file_over_the_limit_is_refused(engagement, student, settings):
    settings.C2C_SUBMISSION_FILE_MAX_BYTES = 10
    upload = SimpleUploadedFile("big.zip", b"x" * 11)
    with pytest.raises(ValidationError, match="limit is 10"):
        services.submit_deliverable(
            actor=student, engagement=engagement, deliverable=first_deliverable(engagement), file=upload
        )
    assert not DeliverableSubmission.objects.exists()


def test_an_accepted_deliverable_cannot_be_handed_in_again(engagement, student):
    deliverable = first_deliverable(engagement)
    SubmissionFactory(engagement=engagement, deliverable=deliverable, status=SubmissionStatus.ACCEPTED)
    with pytest.raises(ValidationError, match="already accepted"):
        services.submit_deliverable(actor=student, engagement=engagement, deliverable=deliverable, link="https://x.org")
    assert DeliverableSubmission.objects.count() == 1


def test_only_the_student_hands_in(engagement, owner, other_student, staff):
    for user in (owner, other_student, staff):
        with pytest.raises(PermissionDenied):
            services.submit_deliverable(
                actor=user, engagement=engagement, deliverable=first_deliverable(engagement), link="https://x.org"
            )
    assert not DeliverableSubmission.objects.exists()


def test_hand_ins_close_when_the_engagement_is_complete():
    engagement = EngagementFactory(completed=True)
    with pytest.raises(ValidationError, match="complete"):
        services.submit_deliverable(
            actor=engagement.student,
            engagement=engagement,
            deliverable=first_deliverable(engagement),
            link="https://x.org",
        )


def test_a_deliverable_of_another_project_is_refused(engagement, student):
    elsewhere = first_deliverable(EngagementFactory())
    with pytest.raises(ValidationError, match="another project"):
        services.submit_deliverable(actor=student, engagement=engagement, deliverable=elsewhere, link="https://x.org")


# Reviews


def test_the_business_accepts_and_the_student_hears(
    engagement, student, owner, django_capture_on_commit_callbacks, mailoutbox
):
    submission = SubmissionFactory(engagement=engagement)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submission(actor=owner, submission=submission, accept=True)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert submission.reviewed_at is not None
    [notice] = notices(student, Kind.ENGAGEMENT)
    assert "accepted" in notice.title
    assert notice.url == engagement.get_absolute_url()
    assert [message.to for message in mailoutbox] == [[student.email]]


def test_asking_for_changes_needs_a_note_that_the_student_receives(engagement, student, owner):
    submission = SubmissionFactory(engagement=engagement)
    with pytest.raises(ValidationError, match="what needs to change"):
        services.review_submission(actor=owner, submission=submission, accept=False, note="  ")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED

    services.review_submission(actor=owner, submission=submission, accept=False, note="Add the June dates.")
    submission.refresh_from_db()
    assert (submission.status, submission.review_note) == (SubmissionStatus.CHANGES_REQUESTED, "Add the June dates.")
    [notice] = notices(student, Kind.ENGAGEMENT)
    assert "Changes requested" in notice.title and "Add the June dates." in notice.body


def test_the_student_cannot_review_their_own_work(engagement, student):
    submission = SubmissionFactory(engagement=engagement)
    with pytest.raises(PermissionDenied):
        services.review_submission(actor=student, submission=submission, accept=True)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_a_reviewed_or_replaced_hand_in_cannot_be_reviewed(engagement, student, owner):
    reviewed = SubmissionFactory(engagement=engagement, status=SubmissionStatus.ACCEPTED)
    with pytest.raises(ValidationError, match="already reviewed"):
        services.review_submission(actor=owner, submission=reviewed, accept=False, note="Redo")

    deliverable = engagement.project.deliverables.order_by("position")[1]
    older = SubmissionFactory(engagement=engagement, deliverable=deliverable)
    services.submit_deliverable(actor=student, engagement=engagement, deliverable=deliverable, link="https://x.org/v2")
    with pytest.raises(ValidationError, match="newer version"):
        services.review_submission(actor=owner, submission=older, accept=True)


# Messages


def test_a_student_message_reaches_every_business_member(engagement, student, owner, colleague):
    message = services.post_message(actor=student, engagement=engagement, body="  Draft is up!  ")
    assert (message.author, message.body) == (student, "Draft is up!")
    for member in (owner, colleague):
        [notice] = notices(member, Kind.ENGAGEMENT)
        assert "Draft is up!" in notice.body
    assert notices(student) == []


def test_a_business_message_reaches_the_student(
    engagement, student, owner, colleague, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(actor=owner, engagement=engagement, body="Thanks, looks good.")
    [notice] = notices(student, Kind.ENGAGEMENT)
    assert engagement.project.title in notice.title
    assert notices(colleague) == []
    assert [message.to for message in mailoutbox] == [[student.email]]


def test_an_empty_message_or_an_outsider_is_refused(engagement, student, staff):
    with pytest.raises(ValidationError):
        services.post_message(actor=student, engagement=engagement, body="   ")
    with pytest.raises(PermissionDenied):
        services.post_message(actor=staff, engagement=engagement, body="Hello")
    assert not Message.objects.exists()


# Completion


def test_completing_before_every_deliverable_is_accepted_is_refused(engagement, owner):
    SubmissionFactory(engagement=engagement, status=SubmissionStatus.ACCEPTED)
    with pytest.raises(ValidationError, match="Accept every deliverable"):
        services.complete_engagement(actor=owner, engagement=engagement)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE


def test_the_student_cannot_complete(engagement, student):
    accept_all(engagement)
    with pytest.raises(PermissionDenied):
        services.complete_engagement(actor=student, engagement=engagement)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE


def test_completing_the_last_engagement_completes_the_project(
    engagement, student, owner, django_capture_on_commit_callbacks, mailoutbox
):
    accept_all(engagement)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_engagement(actor=owner, engagement=engagement)

    engagement.refresh_from_db()
    engagement.project.refresh_from_db()
    assert engagement.status == EngagementStatus.COMPLETED and engagement.completed_at is not None
    assert engagement.project.status == ProjectStatus.COMPLETED
    assert status_changes(engagement.project)[-1] == (owner, "in_progress", "completed", "Every engagement is complete")
    assert status_changes(engagement)[-1] == (owner, "active", "completed", "")
    [notice] = notices(student, Kind.ENGAGEMENT)
    assert "complete" in notice.title and "$1,200" in notice.body
    assert student.email in [message.to[0] for message in mailoutbox]


def test_the_project_waits_for_its_other_engagements(engagement, owner):
    second = EngagementFactory(project=engagement.project)
    accept_all(engagement)
    accept_all(second)

    services.complete_engagement(actor=owner, engagement=engagement)
    engagement.project.refresh_from_db()
    assert engagement.project.status == ProjectStatus.IN_PROGRESS

    services.complete_engagement(actor=owner, engagement=second)
    engagement.project.refresh_from_db()
    assert engagement.project.status == ProjectStatus.COMPLETED


def test_completing_twice_is_refused(engagement, owner):
    accept_all(engagement)
    services.complete_engagement(actor=owner, engagement=engagement)
    with pytest.raises(ValidationError, match="already complete"):
        services.complete_engagement(actor=owner, engagement=engagement)


# Payment


def test_payment_cannot_be_confirmed_before_completion(engagement, owner, student):
    with pytest.raises(ValidationError, match="after the business marks"):
        services.confirm_payment_sent(actor=owner, engagement=engagement)
    with pytest.raises(ValidationError):
        services.confirm_payment_received(actor=student, engagement=engagement)
    engagement.refresh_from_db()
    assert engagement.payment_sent_at is None and engagement.payment_received_at is None


def test_each_side_confirms_only_its_half_of_the_payment():
    engagement = EngagementFactory(completed=True)
    owner = BusinessOwnerFactory(business=engagement.business)
    with pytest.raises(PermissionDenied):
        services.confirm_payment_received(actor=owner, engagement=engagement)
    with pytest.raises(PermissionDenied):
        services.confirm_payment_sent(actor=engagement.student, engagement=engagement)
    engagement.refresh_from_db()
    assert engagement.payment_sent_at is None and engagement.payment_received_at is None


def test_payment_confirmations_tell_the_other_side(django_capture_on_commit_callbacks, mailoutbox):
    engagement = EngagementFactory(completed=True)
    owner = BusinessOwnerFactory(business=engagement.business)
    student = engagement.student
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_payment_sent(actor=owner, engagement=engagement)
    [sent] = notices(student, Kind.PAYMENT)
    assert engagement.business.name in sent.title

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_payment_received(actor=student, engagement=engagement)
    [received] = notices(owner, Kind.PAYMENT)
    assert "received" in received.title

    engagement.refresh_from_db()
    assert engagement.is_paid
    assert [message.to for message in mailoutbox] == [[student.email], [owner.email]]
    with pytest.raises(ValidationError, match="already confirmed"):
        services.confirm_payment_sent(actor=owner, engagement=engagement)


# Feedback


def test_feedback_opens_only_after_completion(engagement, student):
    with pytest.raises(ValidationError, match="Feedback opens"):
        services.give_feedback(actor=student, engagement=engagement, rating=5, comment="Great")
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_one_to_five_is_refused(rating):
    engagement = EngagementFactory(completed=True)
    with pytest.raises(ValidationError) as caught:
        services.give_feedback(actor=engagement.student, engagement=engagement, rating=rating, comment="Fine")
    assert "rating" in caught.value.error_dict
    assert not Feedback.objects.exists()


def test_feedback_is_given_once_per_side_and_tells_the_other_side(django_capture_on_commit_callbacks, mailoutbox):
    engagement = EngagementFactory(completed=True)
    owner = BusinessOwnerFactory(business=engagement.business)
    student = engagement.student

    with django_capture_on_commit_callbacks(execute=True):
        mine = services.give_feedback(
            actor=owner, engagement=engagement, rating=5, comment="Reliable and quick.", is_reference=True
        )
    assert (mine.direction, mine.rating, mine.is_reference, mine.author) == (
        FeedbackDirection.BUSINESS_TO_STUDENT,
        5,
        True,
        owner,
    )
    [notice] = notices(student, Kind.FEEDBACK)
    assert "Write yours to read it" in notice.body
    assert [message.to for message in mailoutbox] == [[student.email]]

    with pytest.raises(ValidationError, match="already left feedback"):
        services.give_feedback(actor=owner, engagement=engagement, rating=4, comment="Changed my mind")

    theirs = services.give_feedback(
        actor=student, engagement=engagement, rating=4, comment="Clear brief.", is_reference=True
    )
    assert (theirs.direction, theirs.is_reference) == (FeedbackDirection.STUDENT_TO_BUSINESS, False)
    [notice] = notices(owner, Kind.FEEDBACK)
    assert "read it now" in notice.body
    assert Feedback.objects.count() == 2

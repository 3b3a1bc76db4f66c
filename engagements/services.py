"""Writes for engagements: starting the work, deliverables, messages, completion, payment and feedback.

Every write takes the acting user, locks the engagement, and asks `action_refusal` — the one place that
decides who may do what, when — before changing anything.
"""

import os
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import dateformat, timezone

from engagements.enums import EngagementStatus, FeedbackDirection, SubmissionStatus
from engagements.models import DeliverableSubmission, Engagement, Feedback, Message
from engagements.selectors import FEEDBACK_DIRECTION_OF, Side, latest_submissions, overdue_payments, side_of
from notifications.enums import Kind
from notifications.services import notify, notify_business, notify_staff
from projects.enums import ProjectStatus
from projects.models import Project
from projects.services import transition_project
from projects.templatetags.money import usd


class Action(StrEnum):
    SUBMIT = "submit"
    REVIEW = "review"
    MESSAGE = "message"
    COMPLETE = "complete"
    CONFIRM_PAYMENT_SENT = "confirm_payment_sent"
    CONFIRM_PAYMENT_RECEIVED = "confirm_payment_received"
    GIVE_FEEDBACK = "give_feedback"


# Which side may ever take each action; `action_refusal` adds the state rules.
ACTION_SIDES = {
    Action.SUBMIT: {Side.STUDENT},
    Action.REVIEW: {Side.BUSINESS},
    Action.MESSAGE: {Side.STUDENT, Side.BUSINESS},
    Action.COMPLETE: {Side.BUSINESS},
    Action.CONFIRM_PAYMENT_SENT: {Side.BUSINESS},
    Action.CONFIRM_PAYMENT_RECEIVED: {Side.STUDENT},
    Action.GIVE_FEEDBACK: {Side.STUDENT, Side.BUSINESS},
}

WRONG_SIDE = {
    Action.SUBMIT: "Only the student on this engagement can hand in work.",
    Action.REVIEW: "Only the business can review hand-ins.",
    Action.MESSAGE: "Only the student and the business on this engagement can post messages.",
    Action.COMPLETE: "Only the business can mark the engagement complete.",
    Action.CONFIRM_PAYMENT_SENT: "Only the business can confirm it sent the fee.",
    Action.CONFIRM_PAYMENT_RECEIVED: "Only the student can confirm they received the fee.",
    Action.GIVE_FEEDBACK: "Only the student and the business on this engagement can leave feedback.",
}


def action_refusal(engagement: Engagement, user, action: Action) -> Exception | None:
    """Why `user` may not take `action` on `engagement` now (PermissionDenied or ValidationError), or None."""
    side = side_of(engagement, user)
    if side not in ACTION_SIDES[action]:
        return PermissionDenied(WRONG_SIDE[action])
    active = engagement.status == EngagementStatus.ACTIVE
    if action in {Action.SUBMIT, Action.REVIEW} and not active:
        return ValidationError("The engagement is complete, so hand-ins are closed.")
    if action == Action.COMPLETE:
        if not active:
            return ValidationError("The engagement is already complete.")
        if not all_deliverables_accepted(engagement):
            return ValidationError("Accept every deliverable before marking the engagement complete.")
    if action in {Action.CONFIRM_PAYMENT_SENT, Action.CONFIRM_PAYMENT_RECEIVED} and active:
        return ValidationError("Payment is confirmed after the business marks the engagement complete.")
    if action == Action.GIVE_FEEDBACK and active:
        return ValidationError("Feedback opens once the business marks the engagement complete.")
    if action == Action.CONFIRM_PAYMENT_SENT and engagement.payment_sent_at is not None:
        return ValidationError("You already confirmed the fee was sent.")
    if action == Action.CONFIRM_PAYMENT_RECEIVED and engagement.payment_received_at is not None:
        return ValidationError("You already confirmed you received the fee.")
    if action == Action.GIVE_FEEDBACK:
        direction = FEEDBACK_DIRECTION_OF[side]
        if any(feedback.direction == direction for feedback in engagement.feedback.all()):
            return ValidationError("You already left feedback for this engagement; it can't be changed.")
    return None


def allowed_actions(engagement: Engagement, user) -> set[Action]:
    return {action for action in Action if action_refusal(engagement, user, action) is None}


def submission_refusal(engagement: Engagement, user, deliverable) -> Exception | None:
    refusal = action_refusal(engagement, user, Action.SUBMIT)
    if refusal is not None:
        return refusal
    if deliverable.project_id != engagement.project_id:
        return ValidationError("That deliverable belongs to another project.")
    latest = latest_submissions(engagement).get(deliverable.pk)
    if latest is not None and latest.status == SubmissionStatus.ACCEPTED:
        return ValidationError(f"“{deliverable.title}” is already accepted.")
    return None


def review_refusal(engagement: Engagement, user, submission: DeliverableSubmission) -> Exception | None:
    refusal = action_refusal(engagement, user, Action.REVIEW)
    if refusal is not None:
        return refusal
    if submission.status != SubmissionStatus.SUBMITTED:
        return ValidationError("This hand-in was already reviewed.")
    if latest_submissions(engagement).get(submission.deliverable_id) != submission:
        return ValidationError("The student handed in a newer version; review that one instead.")
    return None


def all_deliverables_accepted(engagement: Engagement) -> bool:
    latest = latest_submissions(engagement)
    return all(
        latest.get(deliverable.pk) is not None and latest[deliverable.pk].status == SubmissionStatus.ACCEPTED
        for deliverable in engagement.project.deliverables.all()
    )


def _require(refusal: Exception | None):
    if refusal is not None:
        raise refusal


def _locked(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project", "business", "student")
        .get(pk=engagement.pk)
    )


def start_engagement(*, application) -> Engagement:
    """Open the engagement for an application that was just accepted (called inside its transaction)."""
    engagement, _ = Engagement.objects.get_or_create(
        application=application,
        defaults={
            "project": application.project,
            "business": application.project.business,
            "student": application.student,
            "started_at": timezone.now(),
        },
    )
    return engagement


def _student_name(engagement: Engagement) -> str:
    return engagement.student.get_full_name() if engagement.student else "The student"


def _tell_student(engagement: Engagement, *, kind, title, body=""):
    if engagement.student is not None:
        notify(recipient=engagement.student, kind=kind, title=title, body=body, url=engagement.get_absolute_url())


def _tell_business(engagement: Engagement, *, kind, title, body=""):
    notify_business(business=engagement.business, kind=kind, title=title, body=body, url=engagement.get_absolute_url())


def _tell_other_side(engagement: Engagement, side: Side, **message):
    if side == Side.STUDENT:
        _tell_business(engagement, **message)
    else:
        _tell_student(engagement, **message)


def submit_deliverable(
    *, user, engagement: Engagement, deliverable, link="", file=None, note=""
) -> DeliverableSubmission:
    """The student hands in a deliverable as a link, a file or both, with an optional note."""
    link, note = (link or "").strip(), (note or "").strip()
    if not link and not file:
        raise ValidationError("Add a link or a file (or both).")
    max_bytes = settings.C2C_SUBMISSION_FILE_MAX_BYTES
    if file is not None and file.size > max_bytes:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; the limit is {filesizeformat(max_bytes)}. "
            "Share a link to it instead (for example Google Drive or Dropbox)."
        )
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(submission_refusal(engagement, user, deliverable))
        submission = DeliverableSubmission(engagement=engagement, deliverable=deliverable, link=link, note=note)
        if file is not None:
            submission.filename = os.path.basename(file.name)[-200:]
            submission.file = file
        submission.save()
        _tell_business(
            engagement,
            kind=Kind.ENGAGEMENT,
            title=f"{_student_name(engagement)} handed in “{deliverable.title}”",
            body=f"For “{engagement.project.title}”. Review it to accept it or ask for changes."
            + (f"\n\nTheir note: {note}" if note else ""),
        )
    return submission


def review_submission(*, user, submission: DeliverableSubmission, accept: bool, note="") -> DeliverableSubmission:
    """The business accepts a hand-in or asks for changes (saying what to change)."""
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError("Say what needs to change so the student can fix it.")
    with transaction.atomic():
        engagement = _locked(submission.engagement)
        submission = (
            DeliverableSubmission.objects.select_for_update().select_related("deliverable").get(pk=submission.pk)
        )
        _require(review_refusal(engagement, user, submission))
        submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.CHANGES_REQUESTED
        submission.review_note = note
        submission.reviewed_at = timezone.now()
        submission.save(update_fields=["status", "review_note", "reviewed_at"])
        title = submission.deliverable.title
        _tell_student(
            engagement,
            kind=Kind.ENGAGEMENT,
            title=f"“{title}” was accepted" if accept else f"Changes requested on “{title}”",
            body=(
                f"{engagement.business.name} accepted your work."
                if accept
                else f"{engagement.business.name} asked for changes."
            )
            + (f"\n\n{note}" if note else ""),
        )
    return submission


def post_message(*, user, engagement: Engagement, body: str) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write a message first.")
    if len(body) > Message._meta.get_field("body").max_length:
        raise ValidationError("Keep the message under 5,000 characters.")
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, user, Action.MESSAGE))
        message = Message.objects.create(engagement=engagement, author=user, body=body)
        side = side_of(engagement, user)
        sender = (
            user.get_full_name() if side == Side.STUDENT else f"{user.get_full_name()} ({engagement.business.name})"
        )
        _tell_other_side(
            engagement,
            side,
            kind=Kind.ENGAGEMENT,
            title=f"New message about “{engagement.project.title}”",
            body=f"{sender} wrote:\n\n{body[:1000]}",
        )
    return message


def complete_engagement(*, user, engagement: Engagement) -> Engagement:
    """The business marks the work complete; the project completes when its last engagement does."""
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, user, Action.COMPLETE))
        engagement.status = EngagementStatus.COMPLETED
        engagement.completed_at = timezone.now()
        engagement.save(update_fields=["status", "completed_at"])
        _tell_student(
            engagement,
            kind=Kind.ENGAGEMENT,
            title=f"“{engagement.project.title}” is complete",
            body=f"{engagement.business.name} marked your work complete. They'll now pay your fee of "
            f"{usd(engagement.project.fee)}: confirm on the engagement page when it arrives, and leave your feedback.",
        )
        # Locking the project serialises the last two completions, so exactly one of them completes it.
        project = Project.objects.select_for_update().get(pk=engagement.project_id)
        unfinished = project.engagements.exclude(status=EngagementStatus.COMPLETED).exists()
        if project.status == ProjectStatus.IN_PROGRESS and not unfinished:
            transition_project(
                project=project, to_status=ProjectStatus.COMPLETED, actor=user, reason="Every engagement is complete"
            )
    return engagement


def confirm_payment_sent(*, user, engagement: Engagement) -> Engagement:
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, user, Action.CONFIRM_PAYMENT_SENT))
        engagement.payment_sent_at = timezone.now()
        engagement.save(update_fields=["payment_sent_at"])
        _tell_student(
            engagement,
            kind=Kind.PAYMENT,
            title=f"{engagement.business.name} sent your fee",
            body=f"They confirmed they paid {usd(engagement.project.fee)} for “{engagement.project.title}”. "
            "Confirm on the engagement page once it reaches you.",
        )
    return engagement


def confirm_payment_received(*, user, engagement: Engagement) -> Engagement:
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, user, Action.CONFIRM_PAYMENT_RECEIVED))
        engagement.payment_received_at = timezone.now()
        engagement.save(update_fields=["payment_received_at"])
        _tell_business(
            engagement,
            kind=Kind.PAYMENT,
            title=f"{_student_name(engagement)} received the fee",
            body=f"They confirmed the {usd(engagement.project.fee)} for “{engagement.project.title}” arrived.",
        )
    return engagement


def give_feedback(*, user, engagement: Engagement, rating, comment, is_reference=False) -> Feedback:
    """One rating and comment per side, after completion; the business's can be offered as a reference."""
    comment = (comment or "").strip()
    errors = {}
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = "Choose a rating from 1 to 5."
    if not comment:
        errors["comment"] = "Write a few words about how it went."
    elif len(comment) > Feedback._meta.get_field("comment").max_length:
        errors["comment"] = "Keep the feedback under 2,000 characters."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, user, Action.GIVE_FEEDBACK))
        side = side_of(engagement, user)
        direction = FEEDBACK_DIRECTION_OF[side]
        feedback = Feedback.objects.create(
            engagement=engagement,
            direction=direction,
            author=user,
            rating=rating,
            comment=comment,
            is_reference=bool(is_reference) and direction == FeedbackDirection.BUSINESS_TO_STUDENT,
        )
        both = engagement.feedback.count() == len(FeedbackDirection)
        author = _student_name(engagement) if side == Side.STUDENT else engagement.business.name
        _tell_other_side(
            engagement,
            side,
            kind=Kind.FEEDBACK,
            title=f"{author} left feedback on “{engagement.project.title}”",
            body="You've both written yours, so you can read it now."
            if both
            else "Write yours to read it: each side sees the other's once both have written, or after "
            f"{settings.C2C_FEEDBACK_REVEAL_DAYS} days.",
        )
    return feedback


def flag_overdue_payments(now=None) -> int:
    """Flag to staff, once each, completed engagements whose payment is still unconfirmed after the overdue period."""
    now = now or timezone.now()
    flagged = 0
    for pk in overdue_payments(now).filter(payment_overdue_flagged_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            engagement = (
                overdue_payments(now)
                .filter(pk=pk, payment_overdue_flagged_at__isnull=True)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("project", "business")
                .first()
            )
            if engagement is None:
                continue
            engagement.payment_overdue_flagged_at = now
            engagement.save(update_fields=["payment_overdue_flagged_at"])
            missing = [
                label
                for label, value in [
                    ("the business hasn't confirmed sending it", engagement.payment_sent_at),
                    ("the student hasn't confirmed receiving it", engagement.payment_received_at),
                ]
                if value is None
            ]
            completed_on = dateformat.format(timezone.localtime(engagement.completed_at), "D j M")
            notify_staff(
                kind=Kind.PAYMENT_OVERDUE,
                title=f"Payment overdue: {engagement.project.title}",
                body=f"{engagement.business.name} completed this engagement on {completed_on}, "
                f"but {' and '.join(missing)}.",
                url=reverse("admin:engagements_engagement_change", args=[engagement.pk]),
            )
            flagged += 1
    return flagged

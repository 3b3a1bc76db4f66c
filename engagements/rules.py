"""Who may do what on an engagement, and when: the one place services ask before a write and views ask for
the `can` flags their templates show."""

from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat

from engagements.enums import EngagementStatus, SubmissionStatus
from engagements.models import DeliverableSubmission, Engagement
from engagements.selectors import FEEDBACK_DIRECTION_OF, Side, latest_submissions, side_of


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


def hand_in_file_problem(file) -> str | None:
    """Why this uploaded file can't be handed in, or None: the form shows it beside the field, the service refuses."""
    max_bytes = settings.C2C_SUBMISSION_FILE_MAX_BYTES
    if file is not None and file.size > max_bytes:
        return (
            f"This file is {filesizeformat(file.size)}; the limit is {filesizeformat(max_bytes)}. "
            "Share a link to it instead (for example Google Drive or Dropbox)."
        )
    return None

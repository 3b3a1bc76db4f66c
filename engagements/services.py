"""Writes for engagements: starting the work, deliverables, messages, completion, payment and feedback.

Every write takes the acting user, locks the engagement, and asks `engagements.rules` — the one place that
decides who may do what, when — before changing anything.
"""

import os
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import User
from activity.enums import Verb
from activity.services import record, record_status_change
from c2c.money import usd
from engagements.enums import EngagementStatus, FeedbackDirection, SubmissionStatus
from engagements.models import DeliverableSubmission, Engagement, Feedback, Message
from engagements.rules import Action, action_refusal, hand_in_file_problem, review_refusal, submission_refusal
from engagements.selectors import FEEDBACK_DIRECTION_OF, Side, overdue_payments, side_of
from notifications.enums import Kind
from notifications.services import notify, notify_business, notify_staff
from projects.enums import ProjectStatus
from projects.models import Application, Deliverable, Project
from projects.services import transition_project


def _require(refusal: Exception | None):
    if refusal is not None:
        raise refusal


def _locked(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("project", "business", "student")
        .get(pk=engagement.pk)
    )


def start_engagement(*, actor: User | None, application: Application) -> Engagement:
    """Open the engagement for an application that was just accepted (called inside its transaction)."""
    engagement, created = Engagement.objects.get_or_create(
        application=application,
        defaults={
            "project": application.project,
            "business": application.project.business,
            "student": application.student,
            "started_at": timezone.now(),
        },
    )
    if created:
        record_status_change(actor=actor, target=engagement, from_state="", to_state=EngagementStatus.ACTIVE)
    return engagement


def _student_name(engagement: Engagement) -> str:
    return engagement.student.get_full_name() if engagement.student else "The student"


def _tell_student(engagement: Engagement, *, kind: str, title: str, body: str = ""):
    if engagement.student is not None:
        notify(recipient=engagement.student, kind=kind, title=title, body=body, url=engagement.get_absolute_url())


def _tell_business(engagement: Engagement, *, kind: str, title: str, body: str = ""):
    notify_business(business=engagement.business, kind=kind, title=title, body=body, url=engagement.get_absolute_url())


def _tell_other_side(engagement: Engagement, side: Side, **message):
    if side == Side.STUDENT:
        _tell_business(engagement, **message)
    else:
        _tell_student(engagement, **message)


def _hand_in_errors(link: str, file) -> str | None:
    if not link and not file:
        return "Add a link or a file (or both)."
    return hand_in_file_problem(file)


def submit_deliverables(*, actor: User, engagement: Engagement, items: list[tuple]) -> list[DeliverableSubmission]:
    """The student hands in one or more deliverables at once; `items` holds (deliverable, link, file, note).

    Each is a link, a file or both, with an optional note. All are saved or none, and the business hears once.
    """
    if not items:
        raise ValidationError("Add a link or a file for at least one deliverable.")
    items = [(deliverable, (link or "").strip(), file, (note or "").strip()) for deliverable, link, file, note in items]
    for deliverable, link, file, _ in items:
        if problem := _hand_in_errors(link, file):
            raise ValidationError(problem if len(items) == 1 else f"“{deliverable.title}”: {problem}")
    with transaction.atomic():
        engagement = _locked(engagement)
        submissions = []
        for deliverable, link, file, note in items:
            _require(submission_refusal(engagement, actor, deliverable))
            submission = DeliverableSubmission(engagement=engagement, deliverable=deliverable, link=link, note=note)
            if file is not None:
                submission.filename = os.path.basename(file.name)[-200:]
                submission.file = file
            submission.save()
            submissions.append(submission)
            record(actor=actor, verb=Verb.WORK_HANDED_IN, target=engagement, reason=deliverable.title)
        titles = [f"“{deliverable.title}”" for deliverable, *_ in items]
        notes = [f"Their note on {title}: {note}" for title, (*_, note) in zip(titles, items, strict=True) if note]
        handed_in = titles[0] if len(titles) == 1 else f"{len(titles)} deliverables"
        _tell_business(
            engagement,
            kind=Kind.ENGAGEMENT,
            title=f"{_student_name(engagement)} handed in {handed_in}",
            body=f"For “{engagement.project.title}”: {and_list(titles)}. Review "
            + ("it to accept it" if len(titles) == 1 else "them to accept them")
            + " or ask for changes."
            + "".join(f"\n\n{line}" for line in notes),
        )
    return submissions


def submit_deliverable(
    *, actor: User, engagement: Engagement, deliverable: Deliverable, link: str = "", file=None, note: str = ""
) -> DeliverableSubmission:
    """The student hands in one deliverable as a link, a file or both, with an optional note."""
    [submission] = submit_deliverables(actor=actor, engagement=engagement, items=[(deliverable, link, file, note)])
    return submission


def and_list(items: list[str]) -> str:
    """“A”, “B” and “C”."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def review_submissions(*, actor: User, engagement: Engagement, decisions: list[tuple]) -> list[DeliverableSubmission]:
    """The business accepts hand-ins or asks for changes (saying what to change), several at once.

    `decisions` holds (submission, accept, note). All are saved or none, and the student hears once.
    """
    if not decisions:
        raise ValidationError("Choose Accept or Ask for changes for at least one hand-in.")
    decisions = [(submission, accept, (note or "").strip()) for submission, accept, note in decisions]
    if any(not accept and not note for _, accept, note in decisions):
        raise ValidationError("Say what needs to change so the student can fix it.")
    with transaction.atomic():
        engagement = _locked(engagement)
        reviewed = []
        for submission, accept, note in decisions:
            submission = (
                DeliverableSubmission.objects.select_for_update().select_related("deliverable").get(pk=submission.pk)
            )
            if submission.engagement_id != engagement.pk:
                raise ValidationError("That hand-in belongs to another engagement.")
            _require(review_refusal(engagement, actor, submission))
            submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.CHANGES_REQUESTED
            submission.review_note = note
            submission.reviewed_at = timezone.now()
            submission.save(update_fields=["status", "review_note", "reviewed_at"])
            reviewed.append(submission)
            record(
                actor=actor,
                verb=Verb.WORK_REVIEWED,
                target=engagement,
                to_state=submission.status,
                reason=f"{submission.deliverable.title}: {note}" if note else submission.deliverable.title,
            )
        _tell_student(engagement, kind=Kind.ENGAGEMENT, **_review_message(engagement, reviewed))
    return reviewed


def _review_message(engagement: Engagement, reviewed: list[DeliverableSubmission]) -> dict:
    business = engagement.business.name
    if len(reviewed) == 1:
        [submission] = reviewed
        title = submission.deliverable.title
        accepted = submission.status == SubmissionStatus.ACCEPTED
        body = f"{business} accepted your work." if accepted else f"{business} asked for changes."
        return {
            "title": f"“{title}” was accepted" if accepted else f"Changes requested on “{title}”",
            "body": body + (f"\n\n{submission.review_note}" if submission.review_note else ""),
        }
    accepted = [f"“{item.deliverable.title}”" for item in reviewed if item.status == SubmissionStatus.ACCEPTED]
    changes = [item for item in reviewed if item.status == SubmissionStatus.CHANGES_REQUESTED]
    lines = [f"{business} accepted {and_list(accepted)}."] if accepted else []
    lines += [f"Changes requested on “{item.deliverable.title}”: {item.review_note}" for item in changes]
    for item in reviewed:
        if item.status == SubmissionStatus.ACCEPTED and item.review_note:
            lines.append(f"On “{item.deliverable.title}”: {item.review_note}")
    title = (
        f"{business} accepted {len(accepted)} of your hand-ins"
        if not changes
        else f"{business} reviewed your hand-ins: changes requested on {len(changes)}"
    )
    return {"title": title, "body": "\n\n".join(lines)}


def review_submission(
    *, actor: User, submission: DeliverableSubmission, accept: bool, note: str = ""
) -> DeliverableSubmission:
    """The business accepts one hand-in or asks for changes (saying what to change)."""
    [reviewed] = review_submissions(
        actor=actor, engagement=submission.engagement, decisions=[(submission, accept, note)]
    )
    return reviewed


def post_message(*, actor: User, engagement: Engagement, body: str) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write a message first.")
    if len(body) > Message._meta.get_field("body").max_length:
        raise ValidationError("Keep the message under 5,000 characters.")
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, actor, Action.MESSAGE))
        message = Message.objects.create(engagement=engagement, author=actor, body=body)
        side = side_of(engagement, actor)
        sender = (
            actor.get_full_name() if side == Side.STUDENT else f"{actor.get_full_name()} ({engagement.business.name})"
        )
        _tell_other_side(
            engagement,
            side,
            kind=Kind.ENGAGEMENT,
            title=f"New message about “{engagement.project.title}”",
            body=f"{sender} wrote:\n\n{body[:1000]}",
        )
    return message


def complete_engagement(
    *, actor: User, engagement: Engagement, payment_sent: bool = False, feedback: tuple | None = None
) -> Engagement:
    """The business marks the work complete; the project completes when its last engagement does.

    In the same step the business may confirm it already sent the fee and leave its feedback, a
    (rating, comment, is_reference) triple; the student hears about all of it in one message.
    """
    if feedback is not None and (errors := feedback_errors(*feedback[:2])):
        raise ValidationError(errors)
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, actor, Action.COMPLETE))
        now = timezone.now()
        engagement.status = EngagementStatus.COMPLETED
        engagement.completed_at = now
        if payment_sent:
            engagement.payment_sent_at = now
        engagement.save(update_fields=["status", "completed_at", "payment_sent_at"])
        record_status_change(
            actor=actor, target=engagement, from_state=EngagementStatus.ACTIVE, to_state=EngagementStatus.COMPLETED
        )
        if payment_sent:
            record(actor=actor, verb=Verb.PAYMENT_SENT, target=engagement)
        fee = usd(engagement.project.fee)
        body = [f"{engagement.business.name} marked your work complete."]
        if payment_sent:
            body.append(f"They confirmed they sent your fee of {fee}: confirm on the engagement page once it arrives.")
        else:
            body.append(f"They'll now pay your fee of {fee}: confirm on the engagement page when it arrives.")
        if feedback is not None:
            _record_feedback(engagement, actor, *feedback)
            body.append(f"They left feedback on your work. {_when_feedback_shows(both_wrote=False)}")
        else:
            body.append("Leave your feedback there too.")
        _tell_student(
            engagement,
            kind=Kind.ENGAGEMENT,
            title=f"“{engagement.project.title}” is complete",
            body=" ".join(body),
        )
        # Locking the project serialises the last two completions, so exactly one of them completes it.
        project = Project.objects.select_for_update().get(pk=engagement.project_id)
        unfinished = project.engagements.exclude(status=EngagementStatus.COMPLETED).exists()
        if project.status == ProjectStatus.IN_PROGRESS and not unfinished:
            transition_project(
                project=project, to_status=ProjectStatus.COMPLETED, actor=actor, reason="Every engagement is complete"
            )
    return engagement


def confirm_payment_sent(*, actor: User, engagement: Engagement) -> Engagement:
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, actor, Action.CONFIRM_PAYMENT_SENT))
        engagement.payment_sent_at = timezone.now()
        engagement.save(update_fields=["payment_sent_at"])
        record(actor=actor, verb=Verb.PAYMENT_SENT, target=engagement)
        _tell_student(
            engagement,
            kind=Kind.PAYMENT,
            title=f"{engagement.business.name} sent your fee",
            body=f"They confirmed they paid {usd(engagement.project.fee)} for “{engagement.project.title}”. "
            "Confirm on the engagement page once it reaches you.",
        )
    return engagement


def confirm_payment_received(*, actor: User, engagement: Engagement, feedback: tuple | None = None) -> Engagement:
    """The student confirms the fee arrived and may leave their feedback, a (rating, comment) pair, in the same step."""
    if feedback is not None and (errors := feedback_errors(*feedback[:2])):
        raise ValidationError(errors)
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, actor, Action.CONFIRM_PAYMENT_RECEIVED))
        if feedback is not None:
            _require(action_refusal(engagement, actor, Action.GIVE_FEEDBACK))
        engagement.payment_received_at = timezone.now()
        engagement.save(update_fields=["payment_received_at"])
        record(actor=actor, verb=Verb.PAYMENT_RECEIVED, target=engagement)
        body = f"They confirmed the {usd(engagement.project.fee)} for “{engagement.project.title}” arrived."
        if feedback is not None:
            _record_feedback(engagement, actor, *feedback[:2])
            body += f" They also left their feedback. {_when_feedback_shows(both_wrote=_both_wrote(engagement))}"
        _tell_business(engagement, kind=Kind.PAYMENT, title=f"{_student_name(engagement)} received the fee", body=body)
    return engagement


def _when_feedback_shows(*, both_wrote: bool) -> str:
    if both_wrote:
        return "You've both written yours, so you can read it now."
    return (
        "Write yours to read it: each side sees the other's once both have written, or after "
        f"{settings.C2C_FEEDBACK_REVEAL_DAYS} days."
    )


def _both_wrote(engagement: Engagement) -> bool:
    return engagement.feedback.count() == len(FeedbackDirection)


def feedback_errors(rating, comment: str) -> dict:
    """Field → message for a rating and comment that can't be saved; empty when they are fine."""
    comment = (comment or "").strip()
    errors = {}
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = "Choose a rating from 1 to 5."
    if not comment:
        errors["comment"] = "Write a few words about how it went."
    elif len(comment) > Feedback._meta.get_field("comment").max_length:
        errors["comment"] = "Keep the feedback under 2,000 characters."
    return errors


def _record_feedback(engagement: Engagement, user: User, rating, comment: str, is_reference: bool = False) -> Feedback:
    """Save one side's feedback; the caller has checked that this side may still give it."""
    direction = FEEDBACK_DIRECTION_OF[side_of(engagement, user)]
    record(actor=user, verb=Verb.FEEDBACK_LEFT, target=engagement, to_state=direction)
    return Feedback.objects.create(
        engagement=engagement,
        direction=direction,
        author=user,
        rating=rating,
        comment=comment.strip(),
        is_reference=bool(is_reference) and direction == FeedbackDirection.BUSINESS_TO_STUDENT,
    )


def give_feedback(*, actor: User, engagement: Engagement, rating, comment: str, is_reference: bool = False) -> Feedback:
    """One rating and comment per side, after completion; the business's can be offered as a reference."""
    if errors := feedback_errors(rating, comment):
        raise ValidationError(errors)
    with transaction.atomic():
        engagement = _locked(engagement)
        _require(action_refusal(engagement, actor, Action.GIVE_FEEDBACK))
        side = side_of(engagement, actor)
        feedback = _record_feedback(engagement, actor, rating, comment, is_reference)
        author = _student_name(engagement) if side == Side.STUDENT else engagement.business.name
        _tell_other_side(
            engagement,
            side,
            kind=Kind.FEEDBACK,
            title=f"{author} left feedback on “{engagement.project.title}”",
            body=_when_feedback_shows(both_wrote=_both_wrote(engagement)),
        )
    return feedback


def flag_overdue_payments(now: datetime | None = None) -> int:
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

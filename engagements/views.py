from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from c2c.forms import attach_service_errors, flash_refusal
from c2c.http import private_file_response
from c2c.money import usd
from engagements import rules, selectors, services
from engagements.enums import SubmissionStatus
from engagements.forms import ConfirmWithFeedbackForm, FeedbackForm, HandInForm, MessageForm, ReviewForm
from engagements.rules import Action
from engagements.selectors import Side


@login_required
def engagement_list(request):
    page = Paginator(selectors.engagement_list_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "engagements/list.html", {"page_obj": page})


def _page_context(request, engagement, *, message_form=None):
    user = request.user
    actions = rules.allowed_actions(engagement, user)
    checklist = selectors.deliverable_checklist(engagement)
    for row in checklist:
        row.can_submit = rules.submission_refusal(engagement, user, row.deliverable) is None
        row.can_review = row.latest is not None and rules.review_refusal(engagement, user, row.latest) is None
    side = selectors.side_of(engagement, user)
    feedback = selectors.visible_feedback(engagement, user)
    own_direction = selectors.FEEDBACK_DIRECTION_OF.get(side)
    return {
        "engagement": engagement,
        "project": engagement.project,
        "side": side,
        "can": {action.value: True for action in actions},
        "checklist": checklist,
        "accepted_count": sum(1 for row in checklist if row.is_accepted),
        "can_hand_in": any(row.can_submit for row in checklist),
        "waiting_for_review": sum(1 for row in checklist if row.can_review),
        "messages_thread": engagement.messages.all(),
        "message_form": message_form or (MessageForm() if Action.MESSAGE in actions else None),
        "feedback": feedback,
        "other_feedback_waiting": own_direction is not None
        and any(item.direction != own_direction for item in engagement.feedback.all())
        and not any(item.direction != own_direction for item in feedback),
        "feedback_reveal_at": selectors.feedback_reveal_at(engagement),
    }


@login_required
def detail(request, pk):
    engagement = selectors.engagement_for_user_or_404(request.user, pk)
    return render(request, "engagements/detail.html", _page_context(request, engagement))


@login_required
def hand_in(request, pk):
    """The student hands in any or all of the deliverables still open, on one page."""
    engagement = selectors.engagement_for_user_or_404(request.user, pk)
    refusal = rules.action_refusal(engagement, request.user, Action.SUBMIT)
    if refusal is not None:
        flash_refusal(request, refusal)
        return redirect(engagement)
    rows = [row for row in selectors.deliverable_checklist(engagement) if not row.is_accepted]
    if not rows:
        messages.info(request, "Every deliverable is accepted: there is nothing left to hand in.")
        return redirect(engagement)
    posted = request.method == "POST"
    form = HandInForm(request.POST if posted else None, request.FILES if posted else None, rows=rows)
    if posted and form.is_valid():
        try:
            submissions = services.submit_deliverables(actor=request.user, engagement=engagement, items=form.items())
        except PermissionDenied as error:
            flash_refusal(request, error)
            return redirect(engagement)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            titles = [f"“{submission.deliverable.title}”" for submission in submissions]
            verb = "is" if len(titles) == 1 else "are"
            messages.success(
                request, f"{services.and_list(titles)} {verb} handed in. We've told the business to review them."
            )
            return redirect(engagement)
    return render(request, "engagements/hand_in.html", {"engagement": engagement, "form": form})


@login_required
def review(request, pk):
    """The business reviews every hand-in waiting for it on one page, and can accept them all at once."""
    engagement = selectors.engagement_for_user_or_404(request.user, pk)
    refusal = rules.action_refusal(engagement, request.user, Action.REVIEW)
    if refusal is not None:
        flash_refusal(request, refusal)
        return redirect(engagement)
    waiting = [
        row.latest
        for row in selectors.deliverable_checklist(engagement)
        if row.latest is not None and row.latest.status == SubmissionStatus.SUBMITTED
    ]
    if not waiting:
        messages.info(request, "Nothing is waiting for your review.")
        return redirect(engagement)
    form = ReviewForm(request.POST if request.method == "POST" else None, submissions=waiting)
    if request.method == "POST" and form.is_valid():
        decisions = form.decisions()
        try:
            services.review_submissions(actor=request.user, engagement=engagement, decisions=decisions)
        except PermissionDenied as error:
            flash_refusal(request, error)
            return redirect(engagement)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            accepted = [f"“{item.deliverable.title}”" for item, accept, _ in decisions if accept]
            changes = [f"“{item.deliverable.title}”" for item, accept, _ in decisions if not accept]
            done = []
            if accepted:
                done.append(f"You accepted {services.and_list(accepted)}.")
            if changes:
                done.append(f"You asked for changes to {services.and_list(changes)}.")
            messages.success(request, " ".join([*done, "We've let the student know."]))
            return redirect(engagement)
    return render(request, "engagements/review.html", {"engagement": engagement, "form": form})


@login_required
def submission_file(request, pk):
    submission = selectors.submission_for_user_or_404(request.user, pk)
    if not submission.file:
        raise Http404("This hand-in has no file.")
    try:
        handle = submission.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing.") from error
    return private_file_response(handle, filename=submission.filename or submission.file.name)


@login_required
@require_POST
def post_message(request, pk):
    engagement = selectors.engagement_for_user_or_404(request.user, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_message(actor=request.user, engagement=engagement, body=form.cleaned_data["body"])
        except PermissionDenied as error:
            flash_refusal(request, error)
            return redirect(engagement)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(request, "Message sent.")
            return redirect(f"{engagement.get_absolute_url()}#messages")
    messages.error(request, "Your message wasn't sent: see below.")
    return render(request, "engagements/detail.html", _page_context(request, engagement, message_form=form))


CONFIRMATIONS = {
    Action.COMPLETE: {
        "service": services.complete_engagement,
        "title": "Mark the engagement complete",
        "explain": "This closes hand-ins and tells the student the work is done. Then the fee of {fee} is paid and "
        "both of you leave feedback: if you've already paid, or want to leave your feedback now, do it here in "
        "the same step. You can't undo this.",
        "button": "Yes, mark it complete",
        "done": "The engagement is complete.",
    },
    Action.CONFIRM_PAYMENT_SENT: {
        "service": services.confirm_payment_sent,
        "title": "Confirm you paid the fee",
        "explain": "Confirm only once you've sent the fee of {fee} to the student. We'll ask them to confirm it "
        "arrived. You can't undo this.",
        "button": "Yes, I sent the fee",
        "done": "Thanks — we've told the student the fee is on its way.",
    },
    Action.CONFIRM_PAYMENT_RECEIVED: {
        "service": services.confirm_payment_received,
        "title": "Confirm you received the fee",
        "explain": "Confirm only once the fee of {fee} has reached you. You can't undo this.",
        "button": "Yes, I received it",
        "done": "Thanks — we've told the business you received the fee.",
    },
}


def _confirmation_form(request, engagement, action: Action, fee: str):
    """What a confirmation can carry: completing, the fee already paid; completing or receiving, feedback."""
    if action == Action.CONFIRM_PAYMENT_SENT:
        return None
    if action == Action.COMPLETE:
        with_feedback = True  # Feedback opens with completion, so the business hasn't written any yet.
    else:
        with_feedback = rules.action_refusal(engagement, request.user, Action.GIVE_FEEDBACK) is None
    return ConfirmWithFeedbackForm(
        request.POST if request.method == "POST" else None,
        with_feedback=with_feedback,
        with_reference=action == Action.COMPLETE,
        payment_sent_label=f"I've already sent the fee of {fee} to the student" if action == Action.COMPLETE else "",
    )


def _confirm(request, pk, action: Action):
    engagement = selectors.engagement_for_user_or_404(request.user, pk)
    copy = CONFIRMATIONS[action]
    fee = usd(engagement.project.fee)
    refusal = rules.action_refusal(engagement, request.user, action)
    if refusal is not None:
        flash_refusal(request, refusal)
        return redirect(engagement)
    form = _confirmation_form(request, engagement, action, fee)
    if request.method == "POST" and (form is None or form.is_valid()):
        extra = {}
        if form is not None and "rating" in form.fields:
            extra["feedback"] = form.feedback()
        if form is not None and "payment_sent" in form.fields:
            extra["payment_sent"] = form.cleaned_data["payment_sent"]
        try:
            copy["service"](actor=request.user, engagement=engagement, **extra)
        except (PermissionDenied, ValidationError) as error:
            if form is None or not hasattr(error, "error_dict"):
                flash_refusal(request, error)
                return redirect(engagement)
            attach_service_errors(form, error)
        else:
            done = [copy["done"].format(fee=fee)]
            if action == Action.COMPLETE:
                done.append(
                    "We've told the student the fee is on its way."
                    if extra.get("payment_sent")
                    else f"Please pay the fee of {fee}, then confirm it here."
                )
            if extra.get("feedback"):
                done.append("Thanks for your feedback.")
            messages.success(request, " ".join(done))
            return redirect(engagement)
    return render(
        request,
        "engagements/confirm.html",
        {
            "engagement": engagement,
            "title": copy["title"],
            "explain": copy["explain"].format(fee=fee),
            "button": copy["button"],
            "form": form,
        },
    )


@login_required
def complete(request, pk):
    return _confirm(request, pk, Action.COMPLETE)


@login_required
def payment_sent(request, pk):
    return _confirm(request, pk, Action.CONFIRM_PAYMENT_SENT)


@login_required
def payment_received(request, pk):
    return _confirm(request, pk, Action.CONFIRM_PAYMENT_RECEIVED)


@login_required
def feedback(request, pk):
    engagement = selectors.engagement_for_user_or_404(request.user, pk)
    refusal = rules.action_refusal(engagement, request.user, Action.GIVE_FEEDBACK)
    if refusal is not None:
        flash_refusal(request, refusal)
        return redirect(engagement)
    side = selectors.side_of(engagement, request.user)
    form = FeedbackForm(request.POST or None, with_reference=side == Side.BUSINESS)
    if request.method == "POST" and form.is_valid():
        try:
            services.give_feedback(
                actor=request.user,
                engagement=engagement,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                is_reference=form.cleaned_data.get("is_reference", False),
            )
        except PermissionDenied as error:
            flash_refusal(request, error)
            return redirect(engagement)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                flash_refusal(request, error)
                return redirect(engagement)
            attach_service_errors(form, error)
        else:
            messages.success(request, "Thanks for your feedback.")
            return redirect(f"{engagement.get_absolute_url()}#feedback")
    return render(
        request,
        "engagements/feedback.html",
        {"engagement": engagement, "form": form, "side": side, "reveal_days": settings.C2C_FEEDBACK_REVEAL_DAYS},
    )

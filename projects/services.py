"""Writes for projects: posting, editing, the review workflow, expiry and reports."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Value
from django.urls import reverse
from django.utils import timezone

from activity.services import record_status_change
from businesses.enums import BusinessStatus
from c2c.dates import deadline
from c2c.money import usd
from catalogue.models import Skill
from notifications.enums import Kind
from notifications.services import notify, notify_business, notify_staff
from projects import rules, signals
from projects.enums import (
    EDITABLE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    FlagStatus,
    ProjectStatus,
)
from projects.models import Application, Deliverable, Project, ProjectFlag

# Changing any of these on a published project sends it back to staff review.
MATERIAL_FIELDS = ("fee", "duration_weeks", "hours_per_week")
STAFF_REASON_REQUIRED = {ProjectStatus.REJECTED}


def _check_business_can_post(business):
    if business.status != BusinessStatus.APPROVED:
        raise ValidationError(
            f"Your organisation is {business.get_status_display().lower()}: only approved partners can "
            "publish projects."
        )


def create_project(*, user, business, data: dict, deliverables: list[str], skills: dict, submit=False) -> Project:
    """Save a new draft (and optionally send it for review). `skills` holds required/nice_to_have/interests."""
    _check_business_can_post(business)
    with transaction.atomic():
        project = Project.objects.create(business=business, status=ProjectStatus.DRAFT, **data)
        _save_related(project, deliverables, skills)
        record_status_change(actor=user, target=project, from_state="", to_state=ProjectStatus.DRAFT, reason="Created")
        if submit:
            transition_project(project=project, to_status=ProjectStatus.SUBMITTED, actor=user)
    return project


def update_project(*, user, project: Project, data: dict, deliverables: list[str], skills: dict) -> bool:
    """Save the business's edits. Returns True when a material edit sent a published project back to review."""
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status not in EDITABLE_STATUSES:
            raise ValidationError(f"A project that is {project.get_status_display().lower()} can't be edited.")
        before = {name: getattr(project, name) for name in MATERIAL_FIELDS}
        before_deliverables = list(project.deliverables.values_list("title", flat=True))
        for name, value in data.items():
            setattr(project, name, value)
        project.save()
        _save_related(project, deliverables, skills)
        changed = [name for name in MATERIAL_FIELDS if getattr(project, name) != before[name]]
        if before_deliverables != deliverables:
            changed.append("deliverables")
        if project.status == ProjectStatus.PUBLISHED and changed:
            transition_project(
                project=project,
                to_status=ProjectStatus.SUBMITTED,
                actor=user,
                reason=f"Edited {', '.join(name.replace('_', ' ') for name in changed)}: needs review again",
            )
            return True
        if project.status == ProjectStatus.PUBLISHED:
            signals.project_changed.send(sender=Project, project=project)
    return False


def _save_related(project: Project, deliverables: list[str], skills: dict):
    project.deliverables.all().delete()
    Deliverable.objects.bulk_create(
        Deliverable(project=project, position=position, title=title) for position, title in enumerate(deliverables)
    )
    project.required_skills.set(skills.get("required_skills", []))
    project.nice_to_have_skills.set(skills.get("nice_to_have_skills", []))
    project.interests.set(skills.get("interests", []))
    refresh_search_document(project)


def refresh_search_document(project: Project):
    """Keep the text students search over (and, on Postgres, its weighted tsvector) in step with the project."""
    skill_names = " ".join(
        Skill.objects.filter(Q(required_by=project) | Q(nice_to_have_for=project))
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    business_name = project.business.name
    document = " ".join([project.title, project.summary, project.description, skill_names, business_name])
    updates = {"search_document": document}
    if connection.vendor == "postgresql":
        updates["search_vector"] = (
            SearchVector(Value(project.title), weight="A", config="english")
            + SearchVector(Value(f"{skill_names} {business_name}"), weight="B", config="english")
            + SearchVector(Value(project.summary), weight="B", config="english")
            + SearchVector(Value(project.description), weight="C", config="english")
        )
    Project.objects.filter(pk=project.pk).update(**updates)
    project.search_document = document


def transition_project(*, project: Project, to_status: str, actor, reason: str = "") -> Project:
    """The one way a project changes state: checks the move and its rules, records it, tells people."""
    reason = (reason or "").strip()
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("business").get(pk=project.pk)
        from_status = project.status
        if refusal := rules.project_move_refusal(actor, project, to_status):
            raise refusal
        if to_status in STAFF_REASON_REQUIRED and not reason:
            raise ValidationError("Give a reason: the business will see it and can fix the posting.")
        if to_status in {ProjectStatus.SUBMITTED, ProjectStatus.PUBLISHED}:
            _check_business_can_post(project.business)
            errors = rules.term_errors(
                fee=project.fee,
                duration_weeks=project.duration_weeks,
                hours_per_week=project.hours_per_week,
                earliest_start=project.earliest_start,
                apply_by=project.apply_by,
                today=timezone.localdate(),
            )
            if errors:
                raise ValidationError(errors)
        now = timezone.now()
        project.status = to_status
        project.status_reason = reason
        if to_status == ProjectStatus.SUBMITTED:
            project.submitted_at = now
        if to_status == ProjectStatus.PUBLISHED:
            project.published_at = now
        project.save(update_fields=["status", "status_reason", "submitted_at", "published_at", "updated_at"])
        record_status_change(actor=actor, target=project, from_state=from_status, to_state=to_status, reason=reason)
        _announce(project, from_status, reason)
        if to_status == ProjectStatus.CLOSED:
            _answer_open_applications(project, CLOSED_MESSAGE)
        if to_status == ProjectStatus.PUBLISHED:
            signals.project_published.send(sender=Project, project=project)
        elif from_status == ProjectStatus.PUBLISHED:
            signals.project_unlisted.send(sender=Project, project=project, to_status=to_status)
    return project


PROJECT_MESSAGES = {
    ProjectStatus.PUBLISHED: ("“{title}” is live", "Students can now find and apply to your project."),
    ProjectStatus.REJECTED: ("“{title}” needs changes", "Staff reviewed your project and asked for changes."),
    ProjectStatus.CLOSED: ("“{title}” is closed", "Your project is closed to new applications."),
    ProjectStatus.COMPLETED: ("“{title}” is complete", "The project is marked complete."),
}


def _announce(project: Project, from_status: str, reason: str):
    if project.status == ProjectStatus.SUBMITTED:
        notify_staff(
            kind=Kind.PROJECT_REVIEW,
            title=f"Project to review: {project.title}",
            body=f"From {project.business.name}." + (f" {reason}" if reason else ""),
            url=reverse("admin:projects_project_change", args=[project.pk]),
        )
        return
    message = PROJECT_MESSAGES.get(project.status)
    if message is None:
        return
    title, body = message
    if reason:
        body = f"{body}\n\nReason: {reason}"
    notify_business(
        business=project.business,
        kind=Kind.PROJECT_DECISION,
        title=title.format(title=project.title),
        body=body,
        url=reverse("businesses:project", args=[project.pk]),
    )


def close_expired_projects(*, today=None) -> int:
    """Close published projects whose apply-by date has passed (the beat task calls this daily)."""
    today = today or timezone.localdate()
    closed = 0
    for project in Project.objects.filter(status=ProjectStatus.PUBLISHED, apply_by__lt=today).only("pk"):
        try:
            transition_project(
                project=project,
                to_status=ProjectStatus.CLOSED,
                actor=None,
                reason="The apply-by date passed with no student selected.",
            )
            closed += 1
        except ValidationError:
            continue
    return closed


def report_project(*, user, project: Project, reason: str, note: str = "") -> ProjectFlag:
    if project.status != ProjectStatus.PUBLISHED:
        raise ValidationError("Only published projects can be reported.")
    with transaction.atomic():
        if ProjectFlag.objects.filter(project=project, reporter=user, status=FlagStatus.OPEN).exists():
            raise ValidationError("You've already reported this project; staff are looking at it.")
        flag = ProjectFlag.objects.create(project=project, reporter=user, reason=reason, note=note.strip())
        notify_staff(
            kind=Kind.PROJECT_REPORT,
            title=f"Project reported: {project.title}",
            body=f"{flag.get_reason_display()}. {flag.note}".strip(),
            url=reverse("admin:projects_projectflag_change", args=[flag.pk]),
        )
    return flag


def resolve_flag(*, flag: ProjectFlag, actor, resolution: str, unpublish: bool) -> ProjectFlag:
    """Close a report; with `unpublish`, take the project down (the business is told why)."""
    resolution = (resolution or "").strip()
    if unpublish and not resolution:
        raise ValidationError("Give a reason for unpublishing: the business will see it.")
    with transaction.atomic():
        flag = ProjectFlag.objects.select_for_update().select_related("project").get(pk=flag.pk)
        if flag.status != FlagStatus.OPEN:
            raise ValidationError("This report is already resolved.")
        if unpublish and flag.project.status == ProjectStatus.PUBLISHED:
            transition_project(project=flag.project, to_status=ProjectStatus.CLOSED, actor=actor, reason=resolution)
        now = timezone.now()
        ProjectFlag.objects.filter(project=flag.project, status=FlagStatus.OPEN).update(
            status=FlagStatus.RESOLVED, resolution=resolution, resolved_by=actor, resolved_at=now
        )
        flag.refresh_from_db()
    return flag


# --- Applications ------------------------------------------------------------------------

FILLED_MESSAGE = (
    "Thank you for applying. Every opening on this project has now been filled, so we can't take your "
    "application further. Your profile stays ready for the next project that fits."
)
CLOSED_MESSAGE = (
    "Thank you for applying. The organisation closed this project before anyone was selected, so we can't "
    "take your application further."
)


def student_can_apply_errors(*, student, project: Project) -> list[str]:
    """Why this student can't apply to this project right now (empty when they can)."""
    if not student.is_authenticated or not student.is_student:
        return ["Only student accounts can apply to projects."]
    if project.status != ProjectStatus.PUBLISHED or project.business.status != BusinessStatus.APPROVED:
        return ["This project isn't taking applications."]
    if project.apply_by < timezone.localdate():
        return [f"Applications for this project closed on {project.apply_by:%a %-d %b}."]
    profile = getattr(student, "student_profile", None)
    if profile is None or not profile.is_onboarded:
        return ["Finish your profile before applying: businesses see it with your application."]
    if Application.objects.filter(project=project, student=student).exists():
        return ["You've already applied to this project."]
    return []


def apply_to_project(
    *, student, project: Project, cover_note: str, answers: list[str], confirmed_availability: bool
) -> Application:
    cover_note = (cover_note or "").strip()
    answers = [(answer or "").strip() for answer in answers]
    questions = project.screening_questions or []
    errors = {}
    if not cover_note:
        errors["cover_note"] = "Write a short note: why this project, and what you'd bring."
    if len(answers) != len(questions) or not all(answers):
        errors["answers"] = "Answer each of the organisation's questions."
    if not confirmed_availability:
        errors["confirmed_availability"] = "Confirm that you can give the project's hours in its dates."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("business").get(pk=project.pk)
        if problems := student_can_apply_errors(student=student, project=project):
            raise ValidationError(problems)
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    project=project,
                    student=student,
                    cover_note=cover_note,
                    answers=answers,
                    confirmed_availability=True,
                    status_changed_at=timezone.now(),
                )
        except IntegrityError:
            raise ValidationError("You've already applied to this project.") from None
        record_status_change(actor=student, target=application, from_state="", to_state=ApplicationStatus.SUBMITTED)
        signals.application_changed.send(
            sender=Application, application=application, from_status="", to_status=application.status, actor=student
        )
        notify_business(
            business=project.business,
            kind=Kind.NEW_APPLICATION,
            title=f"New applicant for “{project.title}”",
            body=f"{student.get_full_name()} applied. Shortlist, decline or make an offer: they're waiting to hear.",
            url=reverse("businesses:applicants", args=[project.pk]),
        )
    return application


def transition_application(
    *, application: Application, to_status: str, actor, message: str = "", proposed_start=None, now=None
) -> Application:
    """The one way an application changes state: checks who may make the move, records it, tells the other side.

    `actor` None means the system: expiry, and declining everyone still waiting when a project fills or
    closes. Moves that touch openings lock the project first, then
    the application, always in that order. An offer proposes a start date (by default the project's
    earliest start, or today if that has passed).
    """
    now = now or timezone.now()
    message = (message or "").strip()
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("business").get(pk=application.project_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        application.project = project
        from_status = application.status
        if refusal := rules.application_move_refusal(actor, application, to_status):
            raise refusal
        if to_status in {ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED}:
            accepted = project.applications.filter(status=ApplicationStatus.ACCEPTED).count()
            if project.status != ProjectStatus.PUBLISHED:
                raise ValidationError("This project is no longer taking on students.")
            if accepted >= project.openings:
                raise ValidationError("Every opening on this project has already been filled.")
        if to_status == ApplicationStatus.OFFERED:
            today = timezone.localdate()
            proposed_start = proposed_start or max(project.earliest_start, today)
            problem = rules.offer_start_error(
                proposed_start=proposed_start, earliest_start=project.earliest_start, today=today
            )
            if problem:
                raise ValidationError({"proposed_start": problem})
            application.proposed_start = proposed_start
        application.status = to_status
        application.status_changed_at = now
        application.status_message = message
        application.reminder_sent_at = None
        if to_status in rules.BUSINESS_DECISIONS and application.first_response_at is None and actor is not None:
            application.first_response_at = now
        application.offer_expires_at = (
            now + timedelta(days=settings.C2C_OFFER_EXPIRY_DAYS) if to_status == ApplicationStatus.OFFERED else None
        )
        application.save()
        record_status_change(
            actor=actor, target=application, from_state=from_status, to_state=to_status, reason=message
        )
        _announce_application(application, from_status, actor)
        signals.application_changed.send(
            sender=Application, application=application, from_status=from_status, to_status=to_status, actor=actor
        )
        if to_status == ApplicationStatus.ACCEPTED and accepted + 1 >= project.openings:
            _fill_project(project, actor)
    return application


def _announce_application(application: Application, from_status: str, actor):
    project = application.project
    student = application.student
    name = student.get_full_name() if student else "A student"
    status = application.status
    student_url = reverse("projects:application", args=[application.pk])
    business_url = reverse("businesses:applicants", args=[project.pk])
    by_student = actor is not None and student is not None and actor.pk == student.pk
    if by_student:
        verbs = {
            ApplicationStatus.WITHDRAWN: "withdrew their application",
            ApplicationStatus.ACCEPTED: "accepted your offer",
            ApplicationStatus.DECLINED: "declined your offer",
        }
        notify_business(
            business=project.business,
            kind=Kind.OFFER_RESPONSE,
            title=f"{name} {verbs[status]} for “{project.title}”",
            body=application.status_message,
            url=business_url,
        )
        return
    if status == ApplicationStatus.EXPIRED and from_status == ApplicationStatus.OFFERED:
        notify_business(
            business=project.business,
            kind=Kind.OFFER_RESPONSE,
            title=f"Your offer to {name} for “{project.title}” expired",
            body="They didn't answer in time. You can make an offer to another applicant.",
            url=business_url,
        )
    if student is None:
        return
    titles = {
        ApplicationStatus.SHORTLISTED: f"You're on the shortlist for “{project.title}”",
        ApplicationStatus.OFFERED: f"Offer: “{project.title}” with {project.business.name}",
        ApplicationStatus.DECLINED: f"An answer on “{project.title}”",
        ApplicationStatus.EXPIRED: f"Your application to “{project.title}” has closed",
    }
    bodies = {
        ApplicationStatus.SHORTLISTED: "The organisation liked your application and may be in touch with an offer.",
        ApplicationStatus.OFFERED: (
            f"{project.business.name} would like you to do this project for {usd(project.fee)}, starting "
            f"{application.proposed_start:%a %-d %b %Y}. Please accept or decline by "
            f"{deadline(application.offer_expires_at)}."
            if application.offer_expires_at and application.proposed_start
            else ""
        ),
        ApplicationStatus.DECLINED: "The organisation has decided not to go ahead with your application.",
        ApplicationStatus.EXPIRED: (
            "Your offer wasn't answered in time, so it has lapsed."
            if from_status == ApplicationStatus.OFFERED
            else "The organisation didn't make a decision in time, so we've closed your application. We're sorry: "
            "we chase organisations to answer every applicant."
        ),
    }
    body = bodies[status]
    if application.status_message:
        body = f"{body}\n\n{application.status_message}" if body else application.status_message
    notify(recipient=student, kind=Kind.APPLICATION_DECISION, title=titles[status], body=body, url=student_url)


def _fill_project(project: Project, actor):
    """The last opening is taken: work starts, and everyone still waiting gets a kind answer."""
    transition_project(project=project, to_status=ProjectStatus.IN_PROGRESS, actor=actor, reason="All openings filled")
    _answer_open_applications(project, FILLED_MESSAGE)


def _answer_open_applications(project: Project, message: str):
    for application in project.applications.filter(status__in=OPEN_APPLICATION_STATUSES):
        transition_application(
            application=application, to_status=ApplicationStatus.DECLINED, actor=None, message=message
        )


def chase_applications(*, now=None) -> dict:
    """Hourly: expire unanswered offers, remind businesses of waiting applicants, expire the forgotten ones."""
    now = now or timezone.now()
    expired_offers = 0
    for application in Application.objects.filter(status=ApplicationStatus.OFFERED, offer_expires_at__lte=now):
        if _expire(application, now, "The offer wasn't answered in time."):
            expired_offers += 1
    waiting = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)
    expire_before = now - timedelta(days=settings.C2C_APPLICATION_EXPIRY_DAYS)
    expired = 0
    for application in Application.objects.filter(status__in=waiting, status_changed_at__lte=expire_before):
        if _expire(application, now, ""):
            expired += 1
    remind_before = now - timedelta(days=settings.C2C_RESPONSE_REMINDER_DAYS)
    reminders = 0
    to_remind = Application.objects.filter(
        status__in=waiting, status_changed_at__lte=remind_before, reminder_sent_at__isnull=True
    )
    for project_id in to_remind.values_list("project_id", flat=True).distinct():
        with transaction.atomic():
            project = Project.objects.select_related("business").get(pk=project_id)
            count = to_remind.filter(project=project).select_for_update().update(reminder_sent_at=now)
            if count:
                days = settings.C2C_APPLICATION_EXPIRY_DAYS
                notify_business(
                    business=project.business,
                    kind=Kind.APPLICATION_REMINDER,
                    title=f"{count} applicant{'s' if count != 1 else ''} to “{project.title}” waiting for an answer",
                    body=f"Applications with no answer after {days} days close automatically, and the students "
                    "hear nothing from you. A short decline is kinder than silence.",
                    url=reverse("businesses:applicants", args=[project.pk]),
                )
                reminders += 1
    return {"expired_offers": expired_offers, "expired_applications": expired, "reminders": reminders}


def _expire(application: Application, now, message: str) -> bool:
    try:
        transition_application(
            application=application, to_status=ApplicationStatus.EXPIRED, actor=None, message=message, now=now
        )
    except ValidationError:
        return False  # Someone acted on it since we looked: nothing to expire.
    return True

"""Writes for projects: posting, editing, the review workflow, expiry and reports."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Value
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from activity.services import record_status_change
from businesses.enums import BusinessStatus
from businesses.models import Business
from c2c.dates import deadline
from c2c.money import usd
from catalogue.models import Skill
from notifications.enums import Kind
from notifications.messages import render_message
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


def _check_business_can_post(business: Business):
    if business.status != BusinessStatus.APPROVED:
        raise ValidationError(
            f"Your organisation is {business.get_status_display().lower()}: only approved partners can "
            "publish projects."
        )


def create_project(
    *, actor: User, business: Business, data: dict, deliverables: list[str], skills: dict, submit: bool = False
) -> Project:
    """Save a new draft (and optionally send it for review). `skills` holds required/nice_to_have/interests."""
    _check_business_can_post(business)
    with transaction.atomic():
        project = Project.objects.create(business=business, status=ProjectStatus.DRAFT, **data)
        _save_related(project, deliverables, skills)
        record_status_change(actor=actor, target=project, from_state="", to_state=ProjectStatus.DRAFT, reason="Created")
        if submit:
            transition_project(project=project, to_status=ProjectStatus.SUBMITTED, actor=actor)
    return project


def update_project(*, actor: User, project: Project, data: dict, deliverables: list[str], skills: dict) -> bool:
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
                actor=actor,
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


def transition_project(*, actor: User | None, project: Project, to_status: str, reason: str = "") -> Project:
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


# The business hears about each decision on its project; staff hear when one waits for review.
ANNOUNCED_STATUSES = {ProjectStatus.PUBLISHED, ProjectStatus.REJECTED, ProjectStatus.CLOSED, ProjectStatus.COMPLETED}


def _announce(project: Project, from_status: str, reason: str):
    if project.status == ProjectStatus.SUBMITTED:
        notify_staff(
            kind=Kind.PROJECT_REVIEW,
            url=reverse("admin:projects_project_change", args=[project.pk]),
            **render_message("project_submitted", project=project, reason=reason),
        )
    elif project.status in ANNOUNCED_STATUSES:
        notify_business(
            business=project.business,
            kind=Kind.PROJECT_DECISION,
            url=reverse("businesses:project", args=[project.pk]),
            **render_message(f"project_{project.status}", project=project, reason=reason),
        )


def close_expired_projects(*, today: date | None = None) -> int:
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


def report_project(*, actor: User, project: Project, reason: str, note: str = "") -> ProjectFlag:
    if project.status != ProjectStatus.PUBLISHED:
        raise ValidationError("Only published projects can be reported.")
    with transaction.atomic():
        if ProjectFlag.objects.filter(project=project, reporter=actor, status=FlagStatus.OPEN).exists():
            raise ValidationError("You've already reported this project; staff are looking at it.")
        flag = ProjectFlag.objects.create(project=project, reporter=actor, reason=reason, note=note.strip())
        notify_staff(
            kind=Kind.PROJECT_REPORT,
            url=reverse("admin:projects_projectflag_change", args=[flag.pk]),
            **render_message("project_reported", project=project, flag=flag),
        )
    return flag


def resolve_flag(*, actor: User, flag: ProjectFlag, resolution: str, unpublish: bool) -> ProjectFlag:
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


def student_can_apply_errors(*, student: User, project: Project) -> list[str]:
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
    *, actor: User, project: Project, cover_note: str, answers: list[str], confirmed_availability: bool
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
        if problems := student_can_apply_errors(student=actor, project=project):
            raise ValidationError(problems)
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    project=project,
                    student=actor,
                    cover_note=cover_note,
                    answers=answers,
                    confirmed_availability=True,
                    status_changed_at=timezone.now(),
                )
        except IntegrityError:
            raise ValidationError("You've already applied to this project.") from None
        record_status_change(actor=actor, target=application, from_state="", to_state=ApplicationStatus.SUBMITTED)
        signals.application_changed.send(
            sender=Application, application=application, from_status="", to_status=application.status, actor=actor
        )
        notify_business(
            business=project.business,
            kind=Kind.NEW_APPLICATION,
            url=reverse("businesses:applicants", args=[project.pk]),
            **render_message("new_applicant", project=project, name=actor.get_full_name()),
        )
    return application


def transition_application(
    *,
    actor: User | None,
    application: Application,
    to_status: str,
    message: str = "",
    proposed_start: date | None = None,
    now: datetime | None = None,
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


# What the business hears when the student acts, and what the student hears of every other move.
STUDENT_MOVE_MESSAGES = {
    ApplicationStatus.WITHDRAWN: "student_withdrew",
    ApplicationStatus.ACCEPTED: "student_accepted_offer",
    ApplicationStatus.DECLINED: "student_declined_offer",
}
DECISION_MESSAGES = {
    ApplicationStatus.SHORTLISTED: "application_shortlisted",
    ApplicationStatus.OFFERED: "application_offered",
    ApplicationStatus.DECLINED: "application_declined",
    ApplicationStatus.EXPIRED: "application_expired",
}


def _announce_application(application: Application, from_status: str, actor: User):
    project = application.project
    student = application.student
    name = student.get_full_name() if student else "A student"
    status = application.status
    business_url = reverse("businesses:applicants", args=[project.pk])
    context = {"project": project, "application": application, "name": name, "message": application.status_message}
    if actor is not None and student is not None and actor.pk == student.pk:
        notify_business(
            business=project.business,
            kind=Kind.OFFER_RESPONSE,
            url=business_url,
            **render_message(STUDENT_MOVE_MESSAGES[status], **context),
        )
        return
    lapsed_offer = status == ApplicationStatus.EXPIRED and from_status == ApplicationStatus.OFFERED
    if lapsed_offer:
        notify_business(
            business=project.business,
            kind=Kind.OFFER_RESPONSE,
            url=business_url,
            **render_message("offer_expired", **context),
        )
    if student is None:
        return
    notify(
        recipient=student,
        kind=Kind.APPLICATION_DECISION,
        url=reverse("projects:application", args=[application.pk]),
        **render_message(
            "application_offer_lapsed" if lapsed_offer else DECISION_MESSAGES[status],
            fee=usd(project.fee),
            answer_by=deadline(application.offer_expires_at),
            **context,
        ),
    )


def _fill_project(project: Project, actor: User):
    """The last opening is taken: work starts, and everyone still waiting gets a kind answer."""
    transition_project(project=project, to_status=ProjectStatus.IN_PROGRESS, actor=actor, reason="All openings filled")
    _answer_open_applications(project, FILLED_MESSAGE)


def _answer_open_applications(project: Project, message: str):
    for application in project.applications.filter(status__in=OPEN_APPLICATION_STATUSES):
        transition_application(
            application=application, to_status=ApplicationStatus.DECLINED, actor=None, message=message
        )


def chase_applications(*, now: datetime | None = None) -> dict:
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
                    url=reverse("businesses:applicants", args=[project.pk]),
                    **render_message("applicants_waiting", project=project, count=count, days=days),
                )
                reminders += 1
    return {"expired_offers": expired_offers, "expired_applications": expired, "reminders": reminders}


def _expire(application: Application, now: datetime | None, message: str) -> bool:
    try:
        transition_application(
            application=application, to_status=ApplicationStatus.EXPIRED, actor=None, message=message, now=now
        )
    except ValidationError:
        return False  # Someone acted on it since we looked: nothing to expire.
    return True

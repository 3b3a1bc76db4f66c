"""Writes for projects: posting, editing, the review workflow, expiry and reports."""

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, Value
from django.urls import reverse
from django.utils import timezone

from businesses.enums import BusinessStatus
from notifications.enums import Kind
from notifications.services import notify, notify_staff
from projects import rules
from projects.enums import EDITABLE_STATUSES, PROJECT_TRANSITIONS, FlagStatus, ProjectStatus
from projects.models import Deliverable, Project, ProjectFlag, ProjectStatusChange, Skill

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
        ProjectStatusChange.objects.create(project=project, actor=user, to_status=ProjectStatus.DRAFT, reason="Created")
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
        if to_status not in PROJECT_TRANSITIONS.get(from_status, set()):
            raise ValidationError(
                f"A project that is {project.get_status_display().lower()} can't become "
                f"{ProjectStatus(to_status).label.lower()}."
            )
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
        ProjectStatusChange.objects.create(
            project=project, actor=actor, from_status=from_status, to_status=to_status, reason=reason
        )
        _announce(project, from_status, reason)
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
    for membership in project.business.memberships.select_related("user"):
        notify(
            recipient=membership.user,
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

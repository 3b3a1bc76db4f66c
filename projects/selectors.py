"""Reads of projects, scoped to who is asking: anything outside that scope is a 404."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.conf import settings
from django.core.cache import cache
from django.core.validators import slug_re
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from businesses.enums import BusinessStatus
from businesses.models import Business
from businesses.selectors import business_for
from catalogue.models import Interest, Skill
from projects import signals
from projects.enums import ApplicationStatus, ProjectStatus
from projects.models import Application, Deliverable, Project, ProjectTemplate


def active_template(slug) -> ProjectTemplate | None:
    """The active project template with this slug; None for anything else, including text that is no slug."""
    if not slug or not slug_re.match(slug):
        return None
    return ProjectTemplate.objects.filter(slug=slug, is_active=True).first()


def published_projects():
    """What anyone may browse: published projects of approved businesses."""
    return Project.objects.filter(status=ProjectStatus.PUBLISHED, business__status=BusinessStatus.APPROVED)


def projects_of_business(user: User):
    business = business_for(user)
    if business is None:
        return Project.objects.none()
    return Project.objects.filter(business=business)


def owned_project_or_404(user: User, pk: int) -> Project:
    return get_object_or_404(projects_of_business(user).select_related("business"), pk=pk)


def projects_applied_to(user: User):
    """Projects the user applied to, in any state: their engagement and feedback hang off that application."""
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(Exists(Application.objects.filter(project=OuterRef("pk"), student=user)))


def visible_project_or_404(user: User, pk: int) -> Project:
    """A published project for anyone; in any state, the business's own projects for its members and the projects
    a student applied to (read-only once no longer published, so links from their application never break)."""
    queryset = published_projects()
    if user.is_authenticated:
        queryset = queryset | projects_of_business(user) | projects_applied_to(user)
    return get_object_or_404(queryset.select_related("business"), pk=pk)


@dataclass(frozen=True)
class Posting:
    """The lists a project page shows, as the words shown."""

    deliverables: list[str]
    required_skills: list[str]
    nice_to_have_skills: list[str]
    interests: list[str]


def posting_of(project: Project) -> Posting:
    """The project's deliverables, skills and interests in one query.

    A project page is most often built for its first reader (see c2c.page_cache), and four ORM queries, or
    four prefetches, cost more than the rest of the page: one plain statement does it in a tenth of the time.
    """
    required, nice, interests = (
        Project.required_skills.through._meta,
        Project.nice_to_have_skills.through._meta,
        Project.interests.through._meta,
    )
    skill, interest = Skill._meta.db_table, Interest._meta.db_table
    rows = {"deliverables": [], "required_skills": [], "nice_to_have_skills": [], "interests": []}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT 'deliverables', title, position, '' FROM {Deliverable._meta.db_table} WHERE project_id = %(id)s
            UNION ALL SELECT 'required_skills', s.name, 0, '' FROM {required.db_table} r
                JOIN {skill} s ON s.id = r.skill_id WHERE r.project_id = %(id)s
            UNION ALL SELECT 'nice_to_have_skills', s.name, 0, '' FROM {nice.db_table} n
                JOIN {skill} s ON s.id = n.skill_id WHERE n.project_id = %(id)s
            UNION ALL SELECT 'interests', i.name, 0, i.kind FROM {interests.db_table} p
                JOIN {interest} i ON i.id = p.interest_id WHERE p.project_id = %(id)s
            """,
            {"id": project.pk},
        )
        for list_name, text, position, kind in cursor.fetchall():
            rows[list_name].append((position, kind, text))
    # Each list in the order its model sorts: deliverables by position, skills by name, interests by kind, name.
    return Posting(**{list_name: [text for *_, text in sorted(items)] for list_name, items in rows.items()})


def applications_of_student(user: User):
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(student=user).select_related("project__business")


def student_application_or_404(user: User, pk: int) -> Application:
    return get_object_or_404(applications_of_student(user), pk=pk)


def application_of_student_for(user: User, project: Project) -> Application | None:
    if not user.is_authenticated or not user.is_student:
        return None
    return Application.objects.filter(student=user, project=project).first()


def applications_to_business(user: User):
    business = business_for(user)
    if business is None:
        return Application.objects.none()
    return Application.objects.filter(project__business=business)


def business_application_or_404(user: User, pk: int) -> Application:
    return get_object_or_404(applications_to_business(user).select_related("project__business", "student"), pk=pk)


def median_first_response(business: Business) -> timedelta | None:
    """How long the business usually takes to give an applicant a first answer (its latest 200 answers)."""
    durations = [
        answered - applied
        for applied, answered in Application.objects.filter(project__business=business, first_response_at__isnull=False)
        .order_by("-first_response_at")
        .values_list("created_at", "first_response_at")[:200]
    ]
    if not durations:
        return None
    return median(durations)


RESPONSE_TIME_CACHE_SECONDS = 600


def response_time_label(business: Business) -> str:
    """The median time to first response in words, e.g. "usually answers within 2 days".

    Cached for ten minutes per business: it moves slowly and is shown on every project page.
    """
    typical = cache.get_or_set(
        f"response-time:{business.pk}", lambda: median_first_response(business), RESPONSE_TIME_CACHE_SECONDS
    )
    if typical is None:
        return ""
    if typical < timedelta(days=1):
        return "usually answers applicants within a day"
    days = round(typical / timedelta(days=1))
    return f"usually answers applicants within {days} day{'s' if days != 1 else ''}"


def waiting_too_long(now: datetime | None = None) -> QuerySet:
    """Applications still waiting for the business's answer after the reminder window: the students to chase for."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.C2C_RESPONSE_REMINDER_DAYS)
    return Application.objects.filter(
        status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED], status_changed_at__lte=cutoff
    )


def matches_for(user: User, project_ids: list[int]) -> dict:
    """Each listed project's match for `user`, from the app that scores them; empty when none answers."""
    found: dict = {}
    for _, answer in signals.matches_wanted.send(sender=Project, user=user, project_ids=project_ids):
        found.update(answer or {})
    return found


def ordered_by_match(projects: QuerySet, user: User) -> QuerySet:
    """`projects` best match first for `user` when an app can say; otherwise in their usual order."""
    for _, answer in signals.match_ordering_wanted.send(sender=Project, user=user, projects=projects):
        if answer is not None:
            return answer
    return projects


def record_of(business: Business):
    """The business's public track record, from the app that keeps it; None when none answers."""
    for _, answer in signals.business_record_wanted.send(sender=Project, business=business):
        if answer is not None:
            return answer
    return None

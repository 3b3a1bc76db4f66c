"""Reads of stored matches, scoped to who is asking."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery

from accounts.models import User
from matching.facts import load_projects, load_students, matchable_projects
from matching.models import Invitation, RecommendedProject, RecommendedStudent
from matching.reasons import BUSINESS, STUDENT, explain
from matching.scoring import Weights, score_pair
from projects.models import Project
from students.models import StudentProfile, StudentSkill

# Scores move only when the project or a profile changes (both in the key); the hour bounds the cache's size.
APPLICANT_SCORES_SECONDS = 60 * 60


def _profile(user: User):
    if not user.is_authenticated or not getattr(user, "is_student", False):
        return None
    return getattr(user, "student_profile", None)


def meets_a_required_skill(reasons: dict) -> bool:
    """The student has at least one of the project's required skills, or it requires none."""
    return bool(reasons["met"]) or not reasons["missing"]


def recommended_projects_for(user: User, *, limit: int = 6) -> list:
    """The student's best open matches they haven't applied to, each with `.explained`.

    Only projects where they have at least one required skill (or that require none): a high score from
    hours, dates and interests alone is no reason to suggest work they can't do yet.
    """
    profile = _profile(user)
    if profile is None:
        return []
    stored = (
        RecommendedProject.objects.filter(student=profile, project__in=matchable_projects())
        .exclude(project__applications__student=user)
        .select_related("project__business")
        .order_by("-score", "-project_id")[: settings.C2C_MATCH_TOP_N]
    )
    rows = [row for row in stored if meets_a_required_skill(row.reasons)][:limit]
    for row, explained in zip(rows, explain(rows, audience=STUDENT), strict=True):
        row.explained = explained
    return rows


def matches_for_projects(user: User, project_ids) -> dict:
    """{project id: Explained} for the student's stored matches among `project_ids` (one page of cards)."""
    profile = _profile(user)
    if profile is None or not project_ids:
        return {}
    rows = list(RecommendedProject.objects.filter(student=profile, project_id__in=list(project_ids)))
    return {row.project_id: explained for row, explained in zip(rows, explain(rows, audience=STUDENT), strict=True)}


def order_by_match(queryset: QuerySet, user: User):
    """Best match first for a signed-in student (their stored score), then the queryset's usual order."""
    profile = _profile(user)
    if profile is None:
        return queryset
    score = RecommendedProject.objects.filter(student=profile, project=OuterRef("pk")).values("score")[:1]
    return queryset.annotate(match_score=Subquery(score)).order_by(
        F("match_score").desc(nulls_last=True), "-published_at", "-pk"
    )


def recommended_students_for(project: Project, *, limit: int | None = None) -> list:
    """A project's best discoverable students with `.explained`, `.invited` and `.applied`; for its business.

    Empty once the project stops taking applications, even before the rows are cleared.
    """
    if not matchable_projects().filter(pk=project.pk).exists():
        return []
    rows = list(
        RecommendedStudent.objects.filter(
            project=project,
            student__discoverable=True,
            student__onboarding_completed_at__isnull=False,
            student__user__is_active=True,
            student__user__suspended_at__isnull=True,
        )
        .select_related("student__user")
        .prefetch_related("student__skills__skill", "student__interests")
        .order_by("-score", "student_id")[: limit or settings.C2C_MATCH_TOP_N]
    )
    invited = set(Invitation.objects.filter(project=project).values_list("student_id", flat=True))
    applied = set(project.applications.values_list("student_id", flat=True))
    for row, explained in zip(rows, explain(rows, audience=BUSINESS), strict=True):
        row.explained = explained
        row.invited = row.student_id in invited
        row.applied = row.student.user_id in applied
    return rows


def score_applicants(project: Project, applications) -> dict:
    """{application pk: Explained}, scored with the reference function and kept while nothing it reads changes.

    The key holds the project's and each applicant profile's last change, so an edit to either scores again.
    """
    profiles = {
        application.student.student_profile.pk: application.pk
        for application in applications
        if application.student_id and hasattr(application.student, "student_profile")
    }
    if not profiles:
        return {}
    versions = sorted(
        (application.student.student_profile.pk, application.student.student_profile.updated_at.isoformat())
        for application in applications
        if application.student_id and hasattr(application.student, "student_profile")
    )
    key = "applicant-scores:" + hashlib.sha256(repr((project.pk, project.updated_at, versions)).encode()).hexdigest()
    return cache.get_or_set(key, lambda: _score_applicants(project, profiles), APPLICANT_SCORES_SECONDS)


def _score_applicants(project: Project, profiles: dict[int, int]) -> dict:
    weights = Weights.from_settings()
    [facts] = load_projects(type(project).objects.filter(pk=project.pk))
    students = load_students(StudentProfile.objects.filter(pk__in=profiles))
    matches = [score_pair(student, facts, weights) for student in students]
    explained = explain(matches, audience=BUSINESS)
    return {profiles[student.id]: item for student, item in zip(students, explained, strict=True)}


def applicants_by_match(project: Project, status: str | None = None) -> list:
    """All the project's applicants, best live match first (ties newest first), each with `.match`.

    Sorted in Python before paginating: the score isn't stored for every applicant, and a project
    has a few hundred applicants at most.
    """
    applications = list(applicants_for_project(project, status))
    matches = score_applicants(project, applications)
    for application in applications:
        application.match = matches.get(application.pk)
    # A stable sort keeps the newest-first order among equal scores; deleted students go last.
    applications.sort(key=lambda item: item.match.score if item.match else -1, reverse=True)
    return applications


def applicants_for_project(project: Project, status: str | None = None):
    """A project's applicants for its business, newest first, with what the applicants page shows."""
    applications = project.applications.select_related("student__student_profile", "engagement").prefetch_related(
        Prefetch(
            "student__student_profile__skills",
            queryset=StudentSkill.objects.select_related("skill"),
        )
    )
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("-created_at", "-pk")

"""Writes for matching: keep each student's and each project's best matches stored, with reasons.

Three ways in, one set of tables:
- `refresh_student` / `refresh_project` after an edit (the worker runs them; see matching.scheduling);
- `matching.rebuild.run_chunk` for a slice of a full rebuild, nightly or by `manage.py rebuild_matches`;
- `forget_project` when a project stops taking applications.

Scoring whole blocks lives in matching.lists, writing the lists in matching.storage.

Lists hold at least the top C2C_MATCH_TOP_N. A refresh on one side adds the pair to the other
side's list when it reaches that list's cutoff (`ListCutoff`), without rereading the list, so
lists may briefly hold a few more; readers take the top N. The nightly rebuild trims them."""

import logging

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from c2c.page_cache import people_changed
from matching import engine
from matching.enums import RebuildSide
from matching.facts import matchable_projects, matchable_students
from matching.lists import Context, block_lists, blocks, cutoffs_of, project_lists, save_cutoffs, worker_context
from matching.models import (
    Invitation,
    ListCutoff,
    RecommendedProject,
    RecommendedStudent,
    StrongMatchNotice,
)
from matching.scoring import score_pair
from matching.storage import delete_rows, sync_list
from notifications.enums import Kind
from notifications.services import notify
from projects.models import Project
from students.models import StudentProfile

logger = logging.getLogger(__name__)


def refresh_student(profile_id: int, *, context: Context | None = None) -> None:
    """Recompute one student's list, and their place on every project's list (if discoverable)."""
    context = context or worker_context()
    weights = context.weights
    with transaction.atomic():
        if not StudentProfile.objects.select_for_update().filter(pk=profile_id).exists():
            return
        student = context.students(matchable_students().filter(pk=profile_id))
        if not len(student):
            forget_student(profile_id)
            return
        projects = context.projects()
        now = timezone.now()
        scores, recommended = engine.score_block(student.arrays, projects.arrays, weights)
        own = block_lists(student, 0, scores, recommended, projects, weights)[profile_id]
        if sync_list(RecommendedProject, owner_field="student_id", owner_id=profile_id, matches=own, now=now):
            _students_changed([profile_id])
        save_cutoffs(RebuildSide.STUDENT, {profile_id: own})

        reached = {}
        facts = student.facts[0]
        if facts.discoverable and len(projects):
            cutoffs = cutoffs_of(RebuildSide.PROJECT, projects.arrays.ids)
            for column in np.flatnonzero(recommended[0] & (scores[0] >= cutoffs)).tolist():
                project = projects.facts[column]
                reached[project.id] = own.get(project.id) or score_pair(facts, project, weights)
        sync_list(RecommendedStudent, owner_field="student_id", owner_id=profile_id, matches=reached, now=now)


def refresh_project(project_id: int, *, context: Context | None = None) -> int:
    """Recompute one project's list of students and its place on every student's list.

    Tells students about a strong match (≥ C2C_MATCH_NOTIFY_THRESHOLD) the first time this pair
    reaches it, when the project has made their list. Returns how many students were told.
    """
    context = context or Context()
    weights = context.weights
    with transaction.atomic():
        locked = Project.objects.select_for_update().filter(pk=project_id).first()
        if locked is None:
            return 0
        project = context.projects(matchable_projects().filter(pk=project_id))
        if not len(project):
            forget_project(project_id)
            return 0
        students = context.students()
        now = timezone.now()
        own = project_lists(context.discoverable_students(), project, weights)[project_id]
        sync_list(RecommendedStudent, owner_field="project_id", owner_id=project_id, matches=own, now=now)
        save_cutoffs(RebuildSide.PROJECT, {project_id: own})

        reached = {}
        facts = project.facts[0]
        if len(students):
            cutoffs = cutoffs_of(RebuildSide.STUDENT, students.arrays.ids)
            for offset, block in blocks(students):
                scores, recommended = engine.score_block(block, project.arrays, weights)
                entering = recommended[:, 0] & (scores[:, 0] >= cutoffs[offset : offset + len(block)])
                for row in np.flatnonzero(entering):
                    student = students.facts[offset + row]
                    reached[student.id] = score_pair(student, facts, weights)
        moved = sync_list(RecommendedProject, owner_field="project_id", owner_id=project_id, matches=reached, now=now)
        _students_changed(moved)
        return _notify_strong_matches(locked, reached)


def _students_changed(profile_ids) -> None:
    """These students' lists moved: their kept pages (recommendations, match scores) are stale."""
    people_changed(StudentProfile.objects.filter(pk__in=profile_ids).values_list("user_id", flat=True))


def _notify_strong_matches(project: Project, reached: dict) -> int:
    threshold = settings.C2C_MATCH_NOTIFY_THRESHOLD
    strong = {student: match for student, match in reached.items() if match.score >= threshold}
    if not strong:
        return 0
    told = set(
        StrongMatchNotice.objects.filter(project=project, student_id__in=strong).values_list("student_id", flat=True)
    )
    fresh = {student: match for student, match in strong.items() if student not in told}
    StrongMatchNotice.objects.bulk_create(
        [StrongMatchNotice(project=project, student_id=student, score=match.score) for student, match in fresh.items()],
        ignore_conflicts=True,
    )
    profiles = StudentProfile.objects.filter(pk__in=fresh).select_related("user")
    business = project.business.name
    for profile in profiles:
        notify(
            recipient=profile.user,
            kind=Kind.NEW_MATCH,
            title=f"A strong match for you: {project.title}",
            body=f"{business} posted a project that scores {fresh[profile.pk].score}/100 for you. {project.summary}",
            url=project.get_absolute_url(),
        )
    return len(fresh)


def forget_project(project_id: int) -> None:
    """A project stopped taking applications: it leaves every list at once."""
    delete_rows(RecommendedProject.objects.filter(project_id=project_id))
    delete_rows(RecommendedStudent.objects.filter(project_id=project_id))
    delete_rows(ListCutoff.objects.filter(side=RebuildSide.PROJECT, owner_id=project_id))


def forget_student(profile_id: int) -> None:
    _students_changed([profile_id])
    delete_rows(RecommendedProject.objects.filter(student_id=profile_id))
    delete_rows(RecommendedStudent.objects.filter(student_id=profile_id))
    delete_rows(ListCutoff.objects.filter(side=RebuildSide.STUDENT, owner_id=profile_id))


@transaction.atomic
def invite_student(*, actor: User, project: Project, student: StudentProfile) -> Invitation:
    """A member of the project's business asks a recommended, discoverable student to apply."""
    from businesses.selectors import business_for
    from students.presenters import public_name

    if business_for(actor) != project.business:
        raise PermissionDenied("Only the project's business can invite students.")
    if not matchable_projects().filter(pk=project.pk).exists():
        raise ValidationError("This project isn't taking applications, so there is nothing to invite to.")
    if not RecommendedStudent.objects.filter(project=project, student=student, student__discoverable=True).exists():
        raise ValidationError("You can invite students from this project's recommendations only.")
    if project.applications.filter(student_id=student.user_id).exists():
        raise ValidationError(f"{public_name(student.user)} has already applied.")
    invitation, created = Invitation.objects.get_or_create(
        project=project, student=student, defaults={"invited_by": actor}
    )
    if not created:
        raise ValidationError(f"You already invited {public_name(student.user)}.")
    notify(
        recipient=student.user,
        kind=Kind.INVITATION,
        title=f"{project.business.name} invites you to apply: {project.title}",
        body=f"They think you would be a good fit. {project.summary}",
        url=project.get_absolute_url(),
    )
    return invitation

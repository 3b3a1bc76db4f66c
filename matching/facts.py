"""Read what matching needs from the database, in a handful of flat queries, as scoring facts."""

from collections import defaultdict
from datetime import date

from django.utils import timezone

from catalogue.models import Interest, Skill
from matching.engine import StudentTable
from matching.scoring import CATEGORY_INTERESTS, ProjectFacts, StudentFacts, normalise_place
from projects.models import Project
from projects.selectors import published_projects
from students.models import AvailabilityWindow, StudentProfile, StudentSkill


def matchable_students():
    """Students who finished their profile and can still sign in."""
    return StudentProfile.objects.filter(
        onboarding_completed_at__isnull=False, user__is_active=True, user__suspended_at__isnull=True
    )


def matchable_projects(today: date | None = None):
    """Published projects of approved businesses still taking applications."""
    today = today or timezone.localdate()
    return published_projects().filter(apply_by__gte=today)


def vocabulary_ids() -> tuple[list[int], list[int]]:
    return list(Skill.objects.values_list("pk", flat=True)), list(Interest.objects.values_list("pk", flat=True))


def load_student_table(queryset, today: date | None = None) -> StudentTable:
    """The students in `queryset` (already filtered to matchable ones), in four flat queries."""
    today = today or timezone.localdate()
    rows = list(
        queryset.order_by("pk").values_list(
            "pk", "hours_per_week", "location_preference", "city", "state", "discoverable"
        )
    )
    if not rows:
        return StudentTable(rows, [], [], [])
    low, high = rows[0][0], rows[-1][0]
    # An id range (not an IN list) keeps the queries short for big chunks; the table drops strangers.
    return StudentTable(
        rows,
        list(
            StudentSkill.objects.filter(profile_id__gte=low, profile_id__lte=high)
            .order_by("profile_id", "skill_id")
            .values_list("profile_id", "skill_id", "level")
        ),
        list(
            StudentProfile.interests.through.objects.filter(studentprofile_id__gte=low, studentprofile_id__lte=high)
            .order_by("studentprofile_id", "interest_id")
            .values_list("studentprofile_id", "interest_id")
        ),
        list(
            AvailabilityWindow.objects.filter(profile_id__gte=low, profile_id__lte=high, ends_on__gte=today)
            .order_by("profile_id", "starts_on")
            .values_list("profile_id", "starts_on", "ends_on")
        ),
    )


def load_students(queryset, today: date | None = None) -> list[StudentFacts]:
    """Facts for the students in `queryset` (already filtered to matchable ones), in id order."""
    table = load_student_table(queryset, today)
    return [table.facts(row) for row in range(len(table))]


def load_projects(queryset) -> list[ProjectFacts]:
    """Facts for the projects in `queryset` (already filtered to matchable ones), in id order."""
    rows = list(
        queryset.order_by("pk").values_list(
            "pk", "hours_per_week", "duration_weeks", "earliest_start", "location_mode", "city", "state", "category"
        )
    )
    ids = [row[0] for row in rows]
    required = defaultdict(list)
    nice = defaultdict(list)
    interests = defaultdict(list)
    if ids:
        wanted = set(ids)
        low, high = ids[0], ids[-1]
        for target, through, column in (
            (required, Project.required_skills.through, "skill_id"),
            (nice, Project.nice_to_have_skills.through, "skill_id"),
            (interests, Project.interests.through, "interest_id"),
        ):
            for project_id, value in through.objects.filter(project_id__gte=low, project_id__lte=high).values_list(
                "project_id", column
            ):
                if project_id in wanted:
                    target[project_id].append(value)
    slugs = dict(Interest.objects.values_list("slug", "pk"))
    related = {
        category: frozenset(slugs[slug] for slug in names if slug in slugs)
        for category, names in CATEGORY_INTERESTS.items()
    }
    return [
        ProjectFacts(
            id=pk,
            hours_per_week=hours,
            duration_weeks=weeks,
            earliest_start=earliest_start,
            location_mode=mode,
            place=normalise_place(city, state),
            required=tuple(sorted(required[pk])),
            nice=tuple(sorted(nice[pk])),
            interests=frozenset(interests[pk]),
            related_interests=related.get(category, frozenset()),
        )
        for pk, hours, weeks, earliest_start, mode, city, state, category in rows
    ]

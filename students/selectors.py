"""Reads of student profiles, scoped to who is asking: anything outside that scope is a 404."""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from businesses.selectors import business_for
from engagements.enums import EngagementStatus
from engagements.models import Engagement
from projects.enums import OPEN_APPLICATION_STATUSES
from projects.models import Application
from students.models import StudentProfile, StudentSkill


def current_windows(profile: StudentProfile):
    """The date ranges that haven't ended yet: the ones that matter for matching."""
    return profile.availability.filter(ends_on__gte=timezone.localdate())


def profile_for(user: User) -> StudentProfile | None:
    if not user.is_authenticated:
        return None
    return StudentProfile.objects.filter(user=user).first()


def profile_with_details(profile: StudentProfile) -> StudentProfile:
    """The profile with everything its own page shows, in a fixed number of queries."""
    return (
        StudentProfile.objects.select_related("user")
        .prefetch_related(
            Prefetch("skills", queryset=StudentSkill.objects.select_related("skill")),
            "interests",
            "availability",
        )
        .get(pk=profile.pk)
    )


def profiles_visible_to(user: User):
    """Staff see every profile; a business sees the students who applied to any of its projects;
    a student sees only their own."""
    if not user.is_authenticated:
        return StudentProfile.objects.none()
    if user.is_staff:
        return StudentProfile.objects.all()
    business = business_for(user)
    if business is not None:
        applied = Application.objects.filter(student=OuterRef("user"), project__business=business)
        return StudentProfile.objects.filter(Exists(applied))
    return StudentProfile.objects.filter(user=user)


def visible_profile_or_404(user: User, pk: int) -> StudentProfile:
    return get_object_or_404(
        profiles_visible_to(user)
        .select_related("user")
        .prefetch_related(Prefetch("skills", queryset=StudentSkill.objects.select_related("skill")), "interests"),
        pk=pk,
    )


def resume_or_404(user: User, profile_pk: int) -> StudentProfile:
    profile = get_object_or_404(profiles_visible_to(user), pk=profile_pk)
    if not profile.resume:
        raise Http404("No résumé uploaded.")
    return profile


def applications_seen_by(user: User, profile: StudentProfile):
    """The student's applications the viewer may know about: all for staff, their own projects' for a business."""
    applications = Application.objects.filter(student=profile.user_id).select_related("project")
    if user.is_staff or user.pk == profile.user_id:
        return applications
    business = business_for(user)
    return applications.filter(project__business=business) if business else applications.none()


def open_work_of(user: User) -> dict:
    """What deleting the account would leave a business without: open applications and unfinished engagements."""
    return {
        "open_applications": Application.objects.filter(student=user, status__in=OPEN_APPLICATION_STATUSES).count(),
        "active_engagements": Engagement.objects.filter(student=user, status=EngagementStatus.ACTIVE).count(),
    }

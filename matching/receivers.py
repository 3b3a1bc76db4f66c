"""Matching follows the catalogue and the profiles (every change that can move a match schedules a refresh) and
answers the catalogue pages' questions about matches."""

from django.dispatch import receiver

from businesses.enums import BusinessStatus
from businesses.signals import business_status_changed
from matching import scheduling, selectors, services
from projects.enums import ProjectStatus
from projects.models import Project
from projects.signals import (
    match_ordering_wanted,
    matches_wanted,
    project_changed,
    project_published,
    project_unlisted,
)
from students.signals import profile_changed


@receiver(project_published, dispatch_uid="matching-project-published")
@receiver(project_changed, dispatch_uid="matching-project-changed")
def refresh_project_matches(sender, *, project, **kwargs):
    scheduling.schedule_project_refresh(project.pk)


@receiver(project_unlisted, dispatch_uid="matching-project-unlisted")
def forget_project_matches(sender, *, project, **kwargs):
    services.forget_project(project.pk)


@receiver(profile_changed, dispatch_uid="matching-profile-changed")
def refresh_student_matches(sender, *, profile, **kwargs):
    scheduling.schedule_student_refresh(profile.pk)


@receiver(business_status_changed, dispatch_uid="matching-business-status")
def refresh_business_projects(sender, *, business, from_status, to_status, **kwargs):
    """An approval given or taken away moves the business's published projects in or out of everyone's lists."""
    if BusinessStatus.APPROVED not in (from_status, to_status):
        return
    published = Project.objects.filter(business=business, status=ProjectStatus.PUBLISHED)
    for project_id in published.values_list("pk", flat=True):
        scheduling.schedule_project_refresh(project_id)


@receiver(matches_wanted, dispatch_uid="matching-matches-wanted")
def answer_matches(sender, *, user, project_ids, **kwargs):
    return selectors.matches_for_projects(user, project_ids)


@receiver(match_ordering_wanted, dispatch_uid="matching-ordering-wanted")
def answer_ordering(sender, *, user, projects, **kwargs):
    return selectors.order_by_match(projects, user)

"""Reads of projects, scoped to who is asking: anything outside that scope is a 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from businesses.enums import BusinessStatus
from businesses.selectors import business_for
from projects.enums import ProjectStatus
from projects.models import Project, Skill


def published_projects():
    """What anyone may browse: published projects of approved businesses."""
    return Project.objects.filter(status=ProjectStatus.PUBLISHED, business__status=BusinessStatus.APPROVED)


def projects_of_business(user):
    business = business_for(user)
    if business is None:
        return Project.objects.none()
    return Project.objects.filter(business=business)


def owned_project_or_404(user, pk) -> Project:
    return get_object_or_404(projects_of_business(user).select_related("business"), pk=pk)


def visible_project_or_404(user, pk) -> Project:
    """A published project for anyone; the business's own projects in any state for its members."""
    queryset = published_projects() | projects_of_business(user)
    return get_object_or_404(
        queryset.select_related("business").prefetch_related(
            "deliverables",
            Prefetch("required_skills", queryset=Skill.objects.only("name")),
            Prefetch("nice_to_have_skills", queryset=Skill.objects.only("name")),
            "interests",
        ),
        pk=pk,
    )

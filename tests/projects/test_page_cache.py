"""Visitors' catalogue pages come from the cache, and every change to the catalogue shows on them at once."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse

from c2c.page_cache import cached_page
from projects import services
from projects.enums import ApplicationStatus, ProjectStatus
from projects.models import Project
from tests.factories import BusinessOwnerFactory, StaffFactory, UserFactory
from tests.helpers import signed_in_client
from tests.projects.factories import ApplicationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

BROWSE = reverse("projects:browse")


@pytest.fixture
def visitor(client):
    return client


def test_a_visitor_gets_the_same_page_again_without_touching_the_database(visitor, django_assert_num_queries):
    project = ProjectFactory(title="Instagram month")
    first = visitor.get(BROWSE).content
    detail = visitor.get(project.get_absolute_url()).content

    with django_assert_num_queries(0):
        again = visitor.get(BROWSE).content
        detail_again = visitor.get(project.get_absolute_url()).content

    assert again == first and b"Instagram month" in again
    assert detail_again == detail


def test_a_newly_published_project_shows_at_once(visitor, django_capture_on_commit_callbacks):
    visitor.get(BROWSE)
    project = ProjectFactory(title="Fresh posting", status=ProjectStatus.SUBMITTED, published_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_project(actor=StaffFactory(), project=project, to_status=ProjectStatus.PUBLISHED)

    assert "Fresh posting" in visitor.get(BROWSE).content.decode()


def test_an_edit_shows_at_once(visitor, django_capture_on_commit_callbacks):
    project = ProjectFactory(title="Old title")
    owner = BusinessOwnerFactory(business=project.business)
    visitor.get(BROWSE)
    visitor.get(project.get_absolute_url())
    data = {"title": "New title", "summary": "A new summary for the same project."}

    with django_capture_on_commit_callbacks(execute=True):
        services.update_project(
            actor=owner,
            project=project,
            data=data,
            deliverables=list(project.deliverables.values_list("title", flat=True)),
            skills={"required_skills": list(project.required_skills.all())},
        )

    assert "New title" in visitor.get(BROWSE).content.decode()
    assert "A new summary" in visitor.get(project.get_absolute_url()).content.decode()


def test_a_filled_project_leaves_the_catalogue_at_once(visitor, django_capture_on_commit_callbacks):
    project = ProjectFactory(title="One opening", openings=1)
    offered = ApplicationFactory(project=project, status=ApplicationStatus.OFFERED)
    assert "One opening" in visitor.get(BROWSE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_application(
            actor=offered.student, application=offered, to_status=ApplicationStatus.ACCEPTED
        )

    assert Project.objects.get(pk=project.pk).status == ProjectStatus.IN_PROGRESS
    assert "One opening" not in visitor.get(BROWSE).content.decode()


def test_a_closed_project_leaves_the_catalogue_at_once(visitor, django_capture_on_commit_callbacks):
    project = ProjectFactory(title="Soon withdrawn")
    owner = BusinessOwnerFactory(business=project.business)
    assert "Soon withdrawn" in visitor.get(BROWSE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_project(actor=owner, project=project, to_status=ProjectStatus.CLOSED)

    assert "Soon withdrawn" not in visitor.get(BROWSE).content.decode()
    assert visitor.get(project.get_absolute_url()).status_code == 404


def test_signed_in_people_never_see_a_visitor_page_or_each_others(visitor):
    ProjectFactory(title="Shared posting")
    visitor.get(reverse("home"))
    ana = signed_in_client(UserFactory(full_name="Ana Lopez"))
    ben = signed_in_client(UserFactory(full_name="Ben Okafor"))

    for_ana = ana.get(reverse("home")).content.decode()
    for_ben = ben.get(reverse("home")).content.decode()
    for_visitor = visitor.get(reverse("home")).content.decode()

    assert "Log out" in for_ana and "Log out" in for_ben and "Log out" not in for_visitor
    assert "Ben Okafor" not in for_ana and "Ana Lopez" not in for_ben
    assert "Ana Lopez" not in for_visitor and "Ben Okafor" not in for_visitor


def counted_view(body):
    calls = []

    @cached_page
    def view(request):
        calls.append(request)
        return body(request)

    return view, calls


def test_a_page_with_a_csrf_token_is_never_kept():
    view, calls = counted_view(lambda request: HttpResponse(f"<input value='{get_token(request)}'>"))

    for _ in range(2):
        view(RequestFactory().get("/form/"))

    assert len(calls) == 2


def test_a_page_carrying_a_message_is_never_kept_nor_served_to_someone_with_messages(rf):
    def with_message(request):
        messages.info(request, "Saved")
        return HttpResponse("page")

    view, calls = counted_view(with_message)
    for _ in range(2):
        request = rf.get("/saved/")
        request._messages = CookieStorage(request)
        view(request)
    plain, plain_calls = counted_view(lambda request: HttpResponse("page"))
    plain(rf.get("/plain/"))
    someone = rf.get("/plain/")
    someone.COOKIES["messages"] = "anything"
    plain(someone)

    assert len(calls) == 2
    assert len(plain_calls) == 2

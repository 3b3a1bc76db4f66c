"""An unreachable database gets a clean 503 page in the site's layout, never a traceback."""

from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory

from c2c import outages, views
from tests.factories import UserFactory


def unreachable(*args, **kwargs):
    raise OperationalError("connection failed: Connection refused")


def assert_is_the_503_page(response):
    assert response.status_code == 503
    page = response.content.decode()
    assert "We'll be back in a moment" in page
    assert "<title>Back in a moment · Campus to Commerce</title>" in page
    assert 'aria-label="Main navigation"' in page  # the site's layout
    assert "Source code" in page
    assert "Traceback" not in page
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_a_page_that_cannot_reach_the_database_is_a_503_in_the_layout(client):
    with mock.patch.object(connection, "cursor", unreachable):
        response = client.get("/projects/")
    assert_is_the_503_page(response)


@pytest.mark.django_db
def test_a_signed_in_visitor_whose_session_cannot_be_read_gets_the_same_page(client):
    client.force_login(UserFactory())
    # The user is first read by middleware (before any view), so the answer comes from the 500 handler,
    # as it does in production; the test client would re-raise the error instead.
    client.raise_request_exception = False
    with mock.patch.object(connection, "cursor", unreachable):
        response = client.get("/notifications/")
    assert_is_the_503_page(response)


def test_an_outage_raised_outside_a_view_gets_the_503_page_too():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = views.server_error(request)
    assert_is_the_503_page(response)

    try:
        raise ValueError("a bug")
    except ValueError:
        response = views.server_error(request)
    assert response.status_code == 500


def with_cause(cause):
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


def test_only_connection_failures_count_as_an_outage():
    assert outages.is_database_outage(OperationalError("connection refused"))
    assert outages.is_database_outage(with_cause(psycopg.OperationalError("server closed the connection")))
    assert outages.is_database_outage(with_cause(psycopg.errors.AdminShutdown()))
    assert outages.is_database_outage(with_cause(psycopg.errors.CannotConnectNow()))
    # A deadlock or a statement timeout is a bug to hear about, not an outage.
    assert not outages.is_database_outage(with_cause(psycopg.errors.DeadlockDetected()))
    assert not outages.is_database_outage(with_cause(psycopg.errors.QueryCanceled()))
    assert not outages.is_database_outage(ValueError("not a database error"))


@pytest.mark.django_db
def test_a_500_is_mailed_to_admins_but_a_database_outage_is_not_mailed_per_request(client, settings, mailoutbox):
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@example.org")]
    client.raise_request_exception = False

    with mock.patch("c2c.home.recommended_projects_for", side_effect=ValueError("a bug in the home page")):
        client.force_login(UserFactory())
        broken = client.get("/")
    assert broken.status_code == 500
    assert "Something went wrong on our side" in broken.content.decode()
    [report] = mailoutbox
    assert report.to == ["ops@example.org"]
    assert "ValueError" in report.body and "a bug in the home page" in report.body

    with mock.patch.object(connection, "cursor", unreachable):
        assert client.get("/projects/").status_code == 503
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]


@pytest.mark.django_db
def test_every_page_links_to_the_source_code(client, settings):
    settings.SOURCE_CODE_URL = "https://git.example.org/c2c/fork"
    page = client.get("/projects/").content.decode()
    assert '<a href="https://git.example.org/c2c/fork" rel="noopener">Source code</a>' in page

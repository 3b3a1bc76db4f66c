"""A NUL character in a link is answered with a 400 page in the site's layout, wherever it is."""

import pytest

from tests.factories import StaffFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/projects/?q=bakery%00",
        "/projects/?category=%00",
        "/projects/%00/",
        "/admin/projects/project/?status__exact=%00",
        "/businesses/projects/new/?template=%00",
        "/students/portfolio/abc%00def/",
    ],
)
def test_a_nul_anywhere_in_the_url_gets_the_400_page(client, url):
    sign_in(client, StaffFactory())

    response = client.get(url)

    assert response.status_code == 400
    page = response.content.decode()
    assert "We couldn't read that address" in page
    assert 'href="/"' in page
    assert response["Content-Security-Policy"]


def test_the_same_filter_without_the_nul_still_works(client):
    sign_in(client, StaffFactory())

    response = client.get("/admin/projects/project/?status__exact=published")

    assert response.status_code == 200

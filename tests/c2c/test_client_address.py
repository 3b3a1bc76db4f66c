"""Behind a proxy, rate limits key on each client's own address (TRUSTED_PROXY_COUNT), never on the proxy's."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.processes import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def post_through_the_proxy(client, forwarded_for):
    return client.post(
        reverse("businesses:register"), {"name": "x"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
    )


def test_two_clients_behind_one_proxy_are_limited_separately(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    first, second = Client(), Client()
    for _ in range(10):
        assert post_through_the_proxy(first, "203.0.113.7").status_code == 200

    assert post_through_the_proxy(first, "203.0.113.7").status_code == 429
    assert post_through_the_proxy(second, "198.51.100.23").status_code == 200


def test_a_client_cannot_dodge_the_limit_by_sending_its_own_forwarded_for(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client()
    # The proxy appends the address it saw; whatever the client put before it is not trusted.
    for number in range(10):
        assert post_through_the_proxy(client, f"192.0.2.{number}, 203.0.113.7").status_code == 200

    assert post_through_the_proxy(client, "192.0.2.99, 203.0.113.7").status_code == 429


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    client = Client()
    for number in range(10):
        client.post(reverse("businesses:register"), {"name": "x"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    response = client.post(reverse("businesses:register"), {"name": "x"}, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429


def test_the_setting_comes_from_the_environment_and_reaches_allauth():
    code = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = manage("shell", "-c", code, env={**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "2"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "2 2"

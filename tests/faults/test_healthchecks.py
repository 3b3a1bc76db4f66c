"""docker-compose.yml's healthchecks pass against the real processes on production settings.

Production settings mean a real domain in ALLOWED_HOSTS and the HTTPS redirect on; the check calls the
container by its loopback address over plain HTTP, which must not get a 400 or a 301.
"""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]


def healthcheck(service: str) -> list[str]:
    compose = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())
    return compose["services"][service]["healthcheck"]["test"]


def test_the_compose_healthchecks_pass_under_production_settings(app_env, web, worker):
    assert app_env["ALLOWED_HOSTS"] == "c2c.example.org" and app_env["DEBUG"] == "false"
    kind, *web_check = healthcheck("web")
    assert kind == "CMD"
    # The image's python is ours; its port 8000 is gunicorn's free port here.
    web_check = [sys.executable if part == "python" else part for part in web_check]
    web_check = [part.replace("127.0.0.1:8000", f"127.0.0.1:{web.port}") for part in web_check]
    result = subprocess.run(web_check, env=app_env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr

    kind, worker_check = healthcheck("worker")
    assert kind == "CMD-SHELL"
    worker_check = worker_check.replace("celery ", f"{sys.executable} -m celery ", 1)
    result = subprocess.run(
        ["sh", "-c", worker_check], cwd=settings.BASE_DIR, env=app_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr

"""Settings a deployment relies on, checked in fresh processes with production-like environments."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Qm2vR9pL4tW8zK1nB6cY3hJ5dF0gS-aE7uI2oP9qZ4rT6wV8yX1mN3bC5vL7kJ",
    "ALLOWED_HOSTS": "c2c.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://c2c.example.org",
    "SITE_URL": "https://c2c.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/c2c",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
}


def manage(*args, env):
    inherited = set(PRODUCTION_ENV) | {"CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_refuses_to_start_without_debug_on_the_default_secret_key():
    env = {**PRODUCTION_ENV}
    env.pop("SECRET_KEY")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is the built-in development key" in result.stderr


def procfile_commands() -> dict:
    commands = {}
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        if line.strip():
            name, command = line.split(":", 1)
            commands[name.strip()] = command.strip()
    return commands


# The Procfile's release step is docker-compose's one-off migrate service.
COMPOSE_SERVICE = {"release": "migrate"}


def test_docker_compose_runs_the_procfile_commands():
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    for name, command in procfile_commands().items():
        service = COMPOSE_SERVICE.get(name, name)
        assert re.search(rf"^  {service}:$", compose, re.MULTILINE), f"docker-compose.yml has no {service} service"
        assert command.replace("$", "$$") in compose, f"{name} runs a different command in docker-compose.yml"


def test_the_image_runs_the_procfile_web_line_and_platforms_get_a_reachable_web_process():
    commands = procfile_commands()
    assert commands["release"] == "python manage.py migrate --noinput"
    # A platform that sets only PORT (and maybe WEB_CONCURRENCY) gets a server listening on all interfaces.
    assert "--bind ${HOST:-0.0.0.0}:${PORT:-8000}" in commands["web"]
    assert "--workers ${WEB_CONCURRENCY:-2}" in commands["web"]
    assert "--concurrency ${WORKER_CONCURRENCY:-2}" in commands["worker"]
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert f'CMD ["sh", "-c", "{commands["web"]}"]' in dockerfile
    assert "\nUSER c2c\n" in dockerfile


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/businesses/register/", "/nope/"])
@pytest.mark.django_db
def test_pages_have_a_title_one_h1_and_a_viewport(client, path):
    content = client.get(path).content.decode()
    assert re.search(r"<title>[^<]*\w[^<]*</title>", content)
    assert len(re.findall(r"<h1[ >]", content)) == 1
    assert 'name="viewport"' in content
    assert "cdn" not in content.lower()


def test_robots_txt_and_favicon(client):
    assert "Disallow: /admin/" in client.get("/robots.txt").content.decode()
    assert client.get("/favicon.ico")["Location"].endswith("favicon.svg")

"""Settings a deployment relies on, checked in fresh processes with production-like environments."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.hermetic import settings_variables
from tests.processes import PRODUCTION_ENV, manage

BASE_DIR = Path(settings.BASE_DIR)


def test_deploy_check_passes_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_refuses_to_start_without_debug_on_the_default_secret_key():
    env = {**PRODUCTION_ENV}
    env.pop("SECRET_KEY")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is the built-in development key" in result.stderr


def test_links_in_emails_follow_the_port_the_site_runs_on_unless_site_url_is_set():
    show_links = (
        "from django.conf import settings; from accounts.adapters import AccountAdapter; "
        "from notifications.services import absolute_url; "
        "print(settings.SITE_URL, absolute_url('/projects/'), "
        "AccountAdapter().get_email_confirmation_url(None, type('Confirmation', (), {'key': 'k3y'})()))"
    )
    development = {"DEBUG": "true", "PORT": "9000", "DATABASE_URL": "sqlite:///:memory:"}
    result = manage("shell", "--no-imports", "-c", show_links, env=development)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "http://127.0.0.1:9000",
        "http://127.0.0.1:9000/projects/",
        "http://127.0.0.1:9000/accounts/confirm-email/k3y/",
    ]

    result = manage(
        "shell", "--no-imports", "-c", show_links, env=development | {"SITE_URL": "https://c2c.example.org/"}
    )
    assert result.stdout.split()[:2] == ["https://c2c.example.org", "https://c2c.example.org/projects/"]


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


def settings_in_a_fresh_process(*names, env) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}, default=str))"
    )
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_local_example_env_file_is_the_zero_set_up_demo():
    found = settings_in_a_fresh_process(
        "DEBUG", "DATABASES", "CELERY_TASK_ALWAYS_EAGER", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "EMAIL_BACKEND",
        env={"ENV_FILE": str(BASE_DIR / ".env.example")},
    )  # fmt: skip
    assert found["DEBUG"] is True
    assert found["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert found["CELERY_TASK_ALWAYS_EAGER"] is True
    assert "127.0.0.1" in found["ALLOWED_HOSTS"] and "localhost" in found["ALLOWED_HOSTS"]
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_the_production_example_env_file_passes_the_deploy_check_once_it_has_a_key():
    env = {"ENV_FILE": str(BASE_DIR / ".env.production.example")}
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**env, "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]}
    )
    assert result.returncode == 0, result.stderr + result.stdout
    found = settings_in_a_fresh_process(
        "ADMINS", "STORAGES", "LOG_FORMAT", env={**env, "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]}
    )
    assert found["ADMINS"] == [["Ops", "ops@c2c.example.org"]]
    assert found["STORAGES"]["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["LOG_FORMAT"] == "json"

    without_key = manage("check", env=env)  # its SECRET_KEY is empty until someone fills it in
    assert without_key.returncode != 0
    assert "SECRET_KEY is empty" in without_key.stderr


def test_admins_come_from_the_environment_with_or_without_names():
    found = settings_in_a_fresh_process(
        "ADMINS", env={"DEBUG": "true", "ADMINS": "Ana Lopez <ana@example.org>, ops@example.org"}
    )
    assert found["ADMINS"] == [["Ana Lopez", "ana@example.org"], ["", "ops@example.org"]]


def test_sentry_is_switched_on_by_its_dsn_only():
    code = (
        "import sentry_sdk; client = sentry_sdk.get_client(); "
        "print(client.is_active(), sorted(client.integrations) if client.is_active() else [])"
    )
    off = manage("shell", "-c", code, env={"DEBUG": "true"})
    on = manage("shell", "-c", code, env={"DEBUG": "true", "SENTRY_DSN": "https://public@127.0.0.1:9/1"})
    assert off.stdout.strip().splitlines()[-1] == "False []"
    last = on.stdout.strip().splitlines()[-1]
    assert last.startswith("True") and "'django'" in last and "'celery'" in last


def readme_table_variables() -> set[str]:
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def test_the_readme_configuration_table_lists_every_variable_the_settings_read():
    documented = readme_table_variables()
    read = settings_variables(BASE_DIR / "c2c" / "settings.py")
    assert len(read) > 30  # the scanner finds them (see tests/hermetic.py)
    assert read - documented == set(), "add these to README.md's configuration table"
    procfile_variables = set(re.findall(r"\$\{([A-Z_]+)", (BASE_DIR / "Procfile").read_text()))
    assert documented - read - procfile_variables == set(), "README.md documents variables nothing reads"

"""The suite gives the same result whatever is in the environment or in `.env` (see tests/hermetic.py)."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests.hermetic import settings_variables

pytestmark = [
    # The nested run uses the shared test Redis database, so it runs with the other tests that do.
    pytest.mark.worker,
    pytest.mark.timeout(300),
]

# What a developer following the README might well have set, and worse.
HOSTILE_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-key-that-the-suite-must-not-need-0123456789abcdefghijkl",
    "ALLOWED_HOSTS": "c2c.example.org",
    "SITE_URL": "https://elsewhere.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/1",
    "EMAIL_URL": "smtp://127.0.0.1:1",
    "C2C_MIN_HOURLY_RATE": "95",
    "LOG_FORMAT": "json",
    "SENTRY_DSN": "https://public@127.0.0.1:1/1",
    "DJANGO_SETTINGS_MODULE": "no.such.settings",
}
HOSTILE_DOTENV = "C2C_MATCH_TOP_N=1\nC2C_MATCH_NOTIFY_THRESHOLD=101\nDEBUG=false\n"
NESTED_TESTS = [
    "tests/c2c/test_health.py",
    "tests/broker/test_real_worker.py",
    "tests/broker/test_matching_worker.py",
    "tests/projects/test_browse.py::test_card_shows_pay_rate_time_place_dates_and_top_skills_required_first",
]


def own_database_url() -> str:
    """The same server under another name, so the nested run's test database is nobody else's."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return ""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_hermetic"))


def test_the_environment_and_dotenv_do_not_change_the_suites_result(tmp_path):
    dotenv = tmp_path / "hostile.env"
    dotenv.write_text(HOSTILE_DOTENV)
    env = {**os.environ, **HOSTILE_ENVIRONMENT, "ENV_FILE": str(dotenv), "DATABASE_URL": own_database_url()}
    if not env["DATABASE_URL"]:
        del env["DATABASE_URL"]  # SQLite, as `make test` uses without one
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", *NESTED_TESTS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    # In CI (CI=true is passed through) a skipped worker test is a failure, so this also proves they ran.
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_the_pinned_variables_cover_what_the_settings_read():
    read = settings_variables(Path(settings.BASE_DIR) / "c2c" / "settings.py")
    # A sample the settings are known to read, so a broken scanner can't pass by finding nothing.
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "C2C_MIN_HOURLY_RATE"} <= read
    for name in read - {"DATABASE_URL"}:
        assert name not in os.environ or name in {"DEBUG", "ENV_FILE"}, f"{name} leaked into the test environment"

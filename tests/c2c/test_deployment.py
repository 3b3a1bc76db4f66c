"""What a deployer gets: a build context without secrets, a compose file that validates."""

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from tests.processes import skip_or_fail

BASE_DIR = Path(settings.BASE_DIR)


def docker_context():
    spec = importlib.util.spec_from_file_location("docker_context", BASE_DIR / ".ci" / "docker_context.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_context_holds_the_app_and_no_secret_database_or_upload():
    context = docker_context()
    files = context.context_files()
    assert {"manage.py", "c2c/settings.py", "requirements.lock", "templates/base.html"} <= set(files)
    assert context.leaks() == []
    patterns = context.read_patterns(BASE_DIR / ".dockerignore")
    for path in [
        ".env",
        ".secret_key",
        "db.sqlite3",
        "private-media/resumes/7/cv.pdf",
        ".venv/bin/python",
        ".git/HEAD",
    ]:
        assert context.excluded(path, patterns), path


def test_the_check_catches_a_dockerignore_that_lets_secrets_through(tmp_path):
    context = docker_context()
    (tmp_path / ".dockerignore").write_text(".git\n.venv/\n*.sqlite3\n")
    (tmp_path / "manage.py").write_text("")
    (tmp_path / ".env").write_text("SECRET_KEY=not-for-images\n")
    (tmp_path / "private-media" / "resumes").mkdir(parents=True)
    (tmp_path / "private-media" / "resumes" / "cv.pdf").write_bytes(b"%PDF-1.4")
    leaks = context.leaks(tmp_path)
    assert ".env" in leaks
    assert "private-media/resumes/cv.pdf" in leaks
    assert "db.sqlite3" not in leaks


def compose_command():
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    skip_or_fail("neither `docker compose` nor Debian's docker-compose is installed")
    return None


def test_docker_compose_config_is_valid():
    env = {**os.environ, "SECRET_KEY": "compose-config-check-" + "x" * 40}
    result = subprocess.run(
        [*compose_command(), "-f", "docker-compose.yml", "config", "-q"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    result = subprocess.run(
        [*compose_command(), "-f", "docker-compose.yml", "config", "-q"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "set SECRET_KEY to a long random string" in result.stderr

"""Makes the suite's result independent of the environment and of `.env`.

Loaded by pytest before Django reads its settings (`-p tests.hermetic` in pyproject.toml). It removes
every variable `c2c/settings.py` reads, except `DATABASE_URL` (which database server the suite runs
on), and every variable the libraries read for themselves (Celery's broker URL, Sentry, AWS). `.env`
is not read: `ENV_FILE` points at an empty file. Worker and web processes started by tests inherit
this environment, so they are pinned too. Test-only inputs (`CI`, `TEST_REDIS_URL`, `CHROMIUM_PATH`)
are read by tests, never by settings, and stay.
"""

import ast
import os
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "c2c" / "settings.py"
SUITE_INPUTS = {"DATABASE_URL"}
LIBRARY_PREFIXES = ("CELERY_", "SENTRY_", "AWS_", "DJANGO_")
PINNED = {
    "DJANGO_SETTINGS_MODULE": "c2c.settings",
    "ENV_FILE": os.devnull,
    # The suite runs on the built-in development key; production settings are tested in fresh processes.
    "DEBUG": "true",
}


def settings_variables(path: Path = SETTINGS_FILE) -> set[str]:
    """Every environment variable the settings file reads: `env.<type>("NAME", ...)`, `os.environ[...]`, `os.getenv`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args and _is_env_reader(node.func):
            name = node.args[0]
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            name = node.slice
        else:
            continue
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            names.add(name.value)
    return names


def _is_env_reader(func) -> bool:
    if isinstance(func, ast.Attribute):
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id == "env":
            return True
        if func.attr == "get" and _is_os_environ(owner):
            return True
        return func.attr == "getenv" and isinstance(owner, ast.Name) and owner.id == "os"
    return isinstance(func, ast.Name) and func.id == "env"


def _is_os_environ(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def pin_environment(environ=os.environ) -> None:
    read_by_settings = settings_variables() - SUITE_INPUTS
    for name in list(environ):
        if name.startswith(LIBRARY_PREFIXES) or name in read_by_settings:
            del environ[name]
    environ.update(PINNED)
    # Tests talk to servers on the loopback address; a proxy from the environment must not intercept them.
    environ["NO_PROXY"] = environ["no_proxy"] = "127.0.0.1,localhost"


pin_environment()

"""The lock files pin every dependency pyproject.toml declares, at a version it allows (else: `make lock`)."""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BASE_DIR = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)


def pins(lock: str) -> dict[str, list[str]]:
    found = {}
    for name, version in PIN.findall((BASE_DIR / lock).read_text()):
        found.setdefault(canonicalize_name(name), []).append(version)
    return found


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(line) for line in listed]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [("requirements.lock", declared()), ("requirements-dev.lock", declared() + declared("dev"))],
    ids=["runtime", "development"],
)
def test_every_declared_dependency_is_pinned_at_an_allowed_version(lock, requirements):
    pinned = pins(lock)
    for requirement in requirements:
        versions = pinned.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in {lock}: run `make lock`"
        assert any(requirement.specifier.contains(v, prereleases=True) for v in versions), (
            f"{lock} pins {requirement.name} {versions}, outside {requirement.specifier}: run `make lock`"
        )


def test_the_development_lock_agrees_with_the_runtime_lock():
    runtime, development = pins("requirements.lock"), pins("requirements-dev.lock")
    for name, versions in runtime.items():
        assert development.get(name) == versions, f"{name}: {versions} vs {development.get(name)}: run `make lock`"


def test_every_pin_has_hashes():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (BASE_DIR / lock).read_text()
        assert len(PIN.findall(text)) <= text.count("--hash=sha256:")

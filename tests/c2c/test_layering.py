"""The apps form layers: a module never imports an app above its own, at module level or inside a function.

Higher apps hear about changes in lower ones through the lower app's signals (see each app's signals.py
and the receivers.py of the apps that listen). README's "How it fits together" draws the same picture.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top. Apps on one line are independent of each other.
LAYERS = [
    ["c2c"],  # the site's plumbing: settings, forms, dates, cache, logs, middleware, Celery, storage
    ["activity"],
    ["accounts"],
    ["catalogue", "notifications"],
    ["businesses"],
    ["projects"],
    ["engagements"],
    ["students"],
    ["matching"],
    ["workspace", "reports"],
]
LAYER_OF = {app: height for height, apps in enumerate(LAYERS) for app in apps}

# The wiring on top of everything: the URL map, the home page with its recommendations, the admin index's
# counts and the demo data. They may import any app; no app imports them.
SITE_MODULES = {
    "c2c.urls",
    "c2c.home",
    "c2c.templatetags.c2c_admin",
    "c2c.management.commands.seed_demo",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_modules():
    for app in LAYER_OF:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield module_name(path), path


def imported_modules(path: Path):
    """(line, module) of every import; `from matching import services` counts as matching.services too."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def layering_violations() -> list[str]:
    problems = set()
    for name, path in app_modules():
        app = name.split(".")[0]
        for line, imported in imported_modules(path):
            target = imported.split(".")[0]
            if imported in SITE_MODULES and name not in SITE_MODULES:
                problems.add(f"{name}:{line} imports the site wiring {imported}")
            elif name in SITE_MODULES or target not in LAYER_OF or target == app:
                continue
            elif LAYER_OF[target] >= LAYER_OF[app]:
                problems.add(f"{name}:{line} imports {target}, which is not below {app}")
    return sorted(problems)


def test_every_app_is_in_a_layer():
    assert {path.parent.name for path in ROOT.glob("*/apps.py")} <= set(LAYER_OF)


def test_no_app_imports_an_app_above_it():
    assert layering_violations() == []


def test_no_test_module_imports_another_test_module_or_a_conftest():
    """Shared test code lives in helper modules (tests/helpers.py, tests/processes.py, factories), so that a
    test file can be moved or deleted without breaking another."""
    borrowed = [
        f"{module_name(path)}:{line} imports {imported}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for line, imported in imported_modules(path)
        if imported.startswith("tests.") and imported.split(".")[-1].startswith(("test_", "conftest"))
    ]
    assert borrowed == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from matching import services\n", ["projects.probe:1 imports matching, which is not below projects"]),
        (
            "def late():\n    import engagements.services\n",
            ["projects.probe:2 imports engagements, which is not below projects"],
        ),
        ("from c2c.home import home\n", ["projects.probe:1 imports the site wiring c2c.home"]),
        ("from businesses.models import Business\nfrom catalogue.models import Skill\n", []),
    ],
)
def test_the_check_catches_an_upward_import(tmp_path, monkeypatch, source, expected):
    probe = tmp_path / "probe.py"
    probe.write_text(source)
    monkeypatch.setattr("tests.c2c.test_layering.app_modules", lambda: iter([("projects.probe", probe)]))

    assert layering_violations() == expected


# A tag that compares a status (or an object's .state) with ==, != or in, on either side.
STATUS_COMPARISON = re.compile(
    r"\{%[^%]*(\bstatus|\.state)\s*(==|!=|\bin\b|\bnot in\b)[^%]*%\}"
    r"|\{%[^%]*(==|!=)\s*\S*(status|\.state)\b[^%]*%\}"
)


def test_no_template_compares_a_status_string():
    """Templates ask `can.*` (from each app's rules.py) or `x.status_is.<name>`; badge colours come from the enums."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.suffix in {".html", ".txt"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if STATUS_COMPARISON.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    "line",
    [
        '{% if project.status == "published" %}',
        "{% elif application.status != 'offered' and x %}",
        '{% if engagement.status in "active completed" %}',
        '{% if "draft" == project.status %}',
        "{% if row.state == 'accepted' %}",
    ],
)
def test_the_template_check_catches_a_status_comparison(line):
    assert STATUS_COMPARISON.search(line)

"""Every distinct page the browser tests received is valid HTML: the Nu HTML checker reads them all in one run."""

import json
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

from tests.browser.pages import BASE_DIR, COLLECTED_HTML
from tests.processes import skip_or_fail

pytestmark = pytest.mark.browser

# Installed by `make test` (npm ci, from package-lock.json).
VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.after_browser_tests
def test_every_page_the_browser_tests_received_is_valid_html(tmp_path):
    if not COLLECTED_HTML:
        skip_or_fail("No pages were collected: this check runs after the other browser tests, in the same run")
    if not VNU_JAR.exists():
        skip_or_fail(f"The Nu HTML checker is missing at {VNU_JAR}: `make test` installs it with npm")
    java = shutil.which("java")
    if java is None:
        skip_or_fail("Java is not installed (apt-get install openjdk-17-jre-headless)")
    sources = {}
    for number, (url, html) in enumerate(sorted(COLLECTED_HTML.values())):
        path = tmp_path / f"page-{number:03d}.html"
        path.write_text(html)
        sources[path.name] = urlsplit(url)._replace(scheme="", netloc="").geturl()
    # One JVM for every page: starting Java takes seconds.
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [
        f"{sources.get(message.get('url', '').rsplit('/', 1)[-1], message.get('url'))} "
        f"line {message.get('lastLine')}: {message['message']} … {message.get('extract', '').strip()}"
        for message in report["messages"]
        if message["type"] in {"error", "non-document-error"}
    ]
    print(f"Nu HTML checker: {len(sources)} distinct documents from {len(set(sources.values()))} URLs")
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
    assert result.returncode == 0, result.stderr[-2000:]

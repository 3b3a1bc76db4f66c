"""Private files in an S3-compatible bucket (moto's S3 server here): stored there, served only through the views."""

import json
import sys

import boto3
import pytest
from django.core.files.storage import storages
from django.urls import reverse

from engagements.models import DeliverableSubmission
from students.models import StudentProfile
from tests.factories import UserFactory
from tests.faults import servers
from tests.processes import manage, skip_or_fail
from tests.students.factories import StudentProfileFactory, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db

BUCKET = "c2c-private-test"
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    if not _has_moto():
        skip_or_fail("moto[server] is not installed")
    port = servers.free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    process = servers.spawn([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], log=log)
    try:
        servers.wait_until(lambda: servers.port_open(port), timeout=30, what="moto's S3 server")
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        servers.stop(process)


def _has_moto() -> bool:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture
def bucket_storage(s3_endpoint, settings, monkeypatch):
    """The `private` storage as settings build it from PRIVATE_STORAGE_* (see the settings test below)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
            },
        },
    }
    storage = storages["private"]
    # File fields resolve their storage once, at import: point them at the bucket for this test.
    monkeypatch.setattr(StudentProfile._meta.get_field("resume"), "storage", storage)
    monkeypatch.setattr(DeliverableSubmission._meta.get_field("file"), "storage", storage)
    return boto3.client("s3", endpoint_url=s3_endpoint, **CREDENTIALS)


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_resume_goes_to_the_bucket_and_comes_back_only_through_the_view(client, bucket_storage):
    profile = StudentProfileFactory(user__full_name="Ana Lopez")
    client.force_login(profile.user)

    response = client.post(
        f"{reverse('students:onboarding')}?step=links",
        {"portfolio_url": "https://ana.example.org", "resume": pdf_upload("Ana Lopez CV.pdf")},
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.resume.name in keys(bucket_storage)
    assert profile.resume.name.startswith(f"resumes/{profile.user_id}/")
    stored = bucket_storage.get_object(Bucket=BUCKET, Key=profile.resume.name)["Body"].read()
    assert stored == pdf_bytes()

    served = client.get(reverse("students:resume", args=[profile.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == pdf_bytes()
    assert served["Cache-Control"] == "private, no-store"

    client.force_login(UserFactory())  # another student: not theirs to see
    assert client.get(reverse("students:resume", args=[profile.pk])).status_code == 404


def test_a_file_missing_from_the_bucket_is_a_404_not_an_error(client, bucket_storage):
    profile = StudentProfileFactory()
    client.force_login(profile.user)
    client.post(f"{reverse('students:onboarding')}?step=links", {"resume": pdf_upload("cv.pdf")})
    profile.refresh_from_db()
    bucket_storage.delete_object(Bucket=BUCKET, Key=profile.resume.name)

    assert client.get(reverse("students:resume", args=[profile.pk])).status_code == 404


def test_the_bucket_is_chosen_by_environment_variables():
    result = manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['private']))",
        env={
            "DEBUG": "true",
            "PRIVATE_STORAGE_BUCKET": "c2c-private",
            "PRIVATE_STORAGE_ENDPOINT_URL": "https://s3.example.org",
            "PRIVATE_STORAGE_REGION": "eu-west-1",
            "PRIVATE_STORAGE_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "PRIVATE_STORAGE_SECRET_ACCESS_KEY": "secret-example",
        },
    )
    assert result.returncode == 0, result.stderr
    private = json.loads(result.stdout.strip().splitlines()[-1])  # after the shell's own banner
    assert private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert {
        "bucket_name": "c2c-private",
        "endpoint_url": "https://s3.example.org",
        "region_name": "eu-west-1",
        "access_key": "AKIAEXAMPLE",
        "secret_key": "secret-example",
        "default_acl": None,
    }.items() <= private["OPTIONS"].items()

    result = manage("shell", "-c", "from django.conf import settings; print(settings.STORAGES['private'])",
                    env={"DEBUG": "true"})  # fmt: skip
    assert "FileSystemStorage" in result.stdout

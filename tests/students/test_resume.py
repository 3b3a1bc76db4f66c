import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from students.models import StudentProfile
from tests.factories import BusinessOwnerFactory, StaffFactory, UserFactory, sign_in
from tests.projects.factories import ApplicationFactory, ProjectFactory
from tests.students.factories import StudentProfileFactory, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db

LINKS_STEP = f"{reverse('students:onboarding')}?step=links"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture(autouse=True)
def private_storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path)
    monkeypatch.setattr(StudentProfile._meta.get_field("resume"), "storage", storage)
    return storage


def upload(client, file, **data):
    return client.post(LINKS_STEP, {"portfolio_url": "https://ana.example.org", **data, "resume": file})


@pytest.fixture
def profile(client):
    profile = StudentProfileFactory(user__full_name="Ana Lopez")
    client.force_login(profile.user)
    return profile


def test_a_pdf_is_stored_privately_under_a_random_name_keeping_the_original_filename(client, profile, private_storage):
    response = upload(client, pdf_upload("Ana Lopez CV.pdf"))

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.resume_filename == "Ana Lopez CV.pdf"
    assert profile.resume_uploaded_at is not None
    assert "Ana" not in profile.resume.name
    assert profile.resume.name.startswith(f"resumes/{profile.user_id}/")
    assert private_storage.exists(profile.resume.name)
    assert profile.portfolio_url == "https://ana.example.org"


def javascript_on_open(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hi')")}
    )


def password_protected(writer):
    writer.encrypt("letmein")


def whole_file(content):
    return SimpleUploadedFile("resume.pdf", content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (whole_file(b"Ana Lopez\nExperience: cashier, 2023-2025\n"), "This file isn&#x27;t a PDF"),
        (whole_file(PNG), "This file isn&#x27;t a PDF"),
        (whole_file(b""), "This file is empty"),
        (whole_file(pdf_bytes(padding=5 * 1024 * 1024)), "the limit is 5 MB"),
        (whole_file(pdf_bytes()[: len(pdf_bytes()) // 2]), "This PDF looks damaged or incomplete"),
        (whole_file(pdf_bytes(change=password_protected)), "protected with a password"),
        (whole_file(pdf_bytes(pages=0)), "This PDF has no pages"),
        (whole_file(pdf_bytes(change=javascript_on_open)), "contains scripts, attached files or other active"),
    ],
    ids=["text-named-pdf", "png-named-pdf", "zero-bytes", "over-5-mb", "truncated", "encrypted", "no-pages", "js"],
)
def test_a_wrong_broken_or_unsafe_file_gets_a_message_on_the_field_and_the_rest_comes_back(
    client, profile, file, message
):
    response = upload(client, file, github_url="https://github.com/ana", discoverable="on")

    assert response.status_code == 200
    form = response.context["form"]
    assert any(message.replace("&#x27;", "'") in error for error in form.errors["resume"])
    content = response.content.decode()
    assert message in content
    assert 'value="https://ana.example.org"' in content
    assert 'value="https://github.com/ana"' in content
    assert form["discoverable"].value() is True
    profile.refresh_from_db()
    assert not profile.resume
    assert profile.portfolio_url == ""


@pytest.mark.parametrize(
    "content",
    [pdf_bytes() + b"\r\n\x00\x00 stray bytes after the end", b"\xef\xbb\xbf\r\n" + pdf_bytes()],
    ids=["trailing-bytes", "leading-bytes"],
)
def test_a_valid_pdf_with_a_few_stray_bytes_is_accepted(client, profile, private_storage, content):
    response = upload(client, whole_file(content))

    assert response.status_code == 302
    profile.refresh_from_db()
    assert private_storage.open(profile.resume.name).read() == content


def test_a_pdf_just_under_the_limit_is_accepted(client, profile, settings):
    content = pdf_bytes()
    settings.C2C_RESUME_MAX_BYTES = len(content)

    assert upload(client, pdf_upload(content=content)).status_code == 302


def test_replacing_a_resume_deletes_the_old_file(client, profile, private_storage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, pdf_upload("first.pdf"))
    profile.refresh_from_db()
    old_name = profile.resume.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, pdf_upload("second.pdf"))

    profile.refresh_from_db()
    assert profile.resume_filename == "second.pdf"
    assert not private_storage.exists(old_name)
    assert private_storage.exists(profile.resume.name)


def test_removing_the_resume_deletes_the_file(client, profile, private_storage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, pdf_upload())
    profile.refresh_from_db()
    old_name = profile.resume.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LINKS_STEP, {"remove_resume": "on"})

    assert response.status_code == 302
    profile.refresh_from_db()
    assert not profile.resume
    assert profile.resume_filename == ""
    assert not private_storage.exists(old_name)


@pytest.fixture
def resume_owner(client, profile):
    upload(client, pdf_upload("Ana Lopez CV.pdf"))
    client.logout()
    profile.refresh_from_db()
    return profile


def test_the_resume_is_served_as_a_sandboxed_download_with_private_headers(client, resume_owner):
    client.force_login(resume_owner.user)

    response = client.get(reverse("students:resume", args=[resume_owner.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Ana Lopez CV.pdf"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes()


def viewer(kind, resume_owner):
    if kind == "owner":
        return resume_owner.user
    if kind == "staff":
        return StaffFactory()
    if kind == "business applied to":
        owner = BusinessOwnerFactory()
        project = ProjectFactory(business=owner.membership.business)
        ApplicationFactory(project=project, student=resume_owner.user, status="declined")
        return owner
    if kind == "other business":
        ApplicationFactory(student=resume_owner.user)
        return BusinessOwnerFactory()
    return UserFactory()


@pytest.mark.parametrize(
    ("kind", "status"),
    [("owner", 200), ("staff", 200), ("business applied to", 200), ("other business", 404), ("other student", 404)],
)
def test_who_can_open_a_resume_and_a_profile(client, resume_owner, kind, status):
    sign_in(client, viewer(kind, resume_owner))

    assert client.get(reverse("students:resume", args=[resume_owner.pk])).status_code == status
    profile_page = client.get(reverse("students:applicant", args=[resume_owner.pk]))
    assert profile_page.status_code == status
    if status == 200:
        assert "Ana Lopez" in profile_page.content.decode()
        assert resume_owner.user.email not in profile_page.content.decode()


def test_anonymous_visitors_are_asked_to_log_in_for_a_resume_or_a_profile(client, resume_owner):
    for name in ["students:resume", "students:applicant"]:
        response = client.get(reverse(name, args=[resume_owner.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_profile_without_a_resume_has_nothing_to_serve(client, profile):
    assert client.get(reverse("students:resume", args=[profile.pk])).status_code == 404

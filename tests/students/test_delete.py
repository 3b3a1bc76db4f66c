import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from accounts.models import User
from engagements.models import Engagement, Message
from projects.models import Application
from students.models import AvailabilityWindow, StudentProfile, StudentSkill
from tests.factories import BusinessOwnerFactory
from tests.projects.factories import ApplicationFactory, SkillFactory
from tests.students.factories import StudentProfileFactory, completed_engagement, pdf_upload

pytestmark = pytest.mark.django_db

DELETE = reverse("students:delete")


@pytest.fixture(autouse=True)
def private_storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path)
    monkeypatch.setattr(StudentProfile._meta.get_field("resume"), "storage", storage)
    return storage


@pytest.fixture
def student(client):
    profile = StudentProfileFactory(skills=[SkillFactory()])
    client.force_login(profile.user)
    client.post(f"{reverse('students:onboarding')}?step=links", {"resume": pdf_upload()})
    return profile.user


def test_the_confirm_page_asks_first_and_a_wrong_email_deletes_nothing(client, student):
    page = client.get(DELETE)
    assert page.status_code == 200
    assert "Type your email address to confirm" in page.content.decode()

    response = client.post(DELETE, {"email": "someone-else@example.org"})

    assert response.status_code == 200
    assert "That isn&#x27;t the email address of this account." in response.content.decode()
    assert User.objects.filter(pk=student.pk).exists()


def test_deleting_removes_the_person_and_their_file_and_keeps_anonymised_business_records(
    client, student, private_storage, django_capture_on_commit_callbacks
):
    resume_name = StudentProfile.objects.get(user=student).resume.name
    assert resume_name
    assert private_storage.exists(resume_name)
    owner = BusinessOwnerFactory()
    open_application = ApplicationFactory(
        student=student,
        cover_note="I'd love to help.",
        answers=["Weekends"],
        project__business=owner.membership.business,
    )
    engagement = completed_engagement(student=student, reference=(5, "Great work."))
    Message.objects.create(engagement=engagement, author=student, body="My phone is 555-0100.")
    Message.objects.create(engagement=engagement, author=owner, body="Thanks, we'll call.")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"email": student.email.upper()}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account and profile are deleted" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(pk=student.pk).exists()
    assert not EmailAddress.objects.filter(email=student.email).exists()
    assert not StudentProfile.objects.exists()
    assert not StudentSkill.objects.exists()
    assert not AvailabilityWindow.objects.exists()
    assert not private_storage.exists(resume_name)

    open_application.refresh_from_db()
    assert open_application.student is None
    assert open_application.cover_note == ""
    assert open_application.answers == []
    engagement.refresh_from_db()
    assert engagement.student is None
    assert engagement.status == "completed"
    assert Application.objects.filter(pk=engagement.application_id, student=None).exists()
    assert engagement.feedback.count() == 2
    assert list(Message.objects.filter(engagement=engagement).values_list("body", flat=True)) == [
        "[deleted]",
        "Thanks, we'll call.",
    ]
    assert Engagement.objects.count() == 1


def test_a_warning_mentions_work_in_progress_before_deleting(client, student):
    completed_engagement(student=student, status="active")

    content = client.get(DELETE).content.decode()

    assert "You have 1 project in progress" in content

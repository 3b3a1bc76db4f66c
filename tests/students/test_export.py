import json

import pytest
from django.urls import reverse

from activity.services import record_status_change
from engagements.models import Message
from notifications.services import notify
from tests.projects.factories import ApplicationFactory, InterestFactory, ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory, completed_engagement

pytestmark = pytest.mark.django_db


def download(client):
    response = client.get(reverse("students:export"))
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_the_export_is_a_json_download_of_everything_about_the_student(client):
    profile = StudentProfileFactory(
        user__full_name="Ana Lopez",
        skills=[(SkillFactory(name="Canva"), "advanced")],
        interests=[InterestFactory(name="Food security")],
        resume_filename="Ana CV.pdf",
        resume="resumes/1/random.pdf",
    )
    student = profile.user
    project = ProjectFactory(title="Instagram for the food bank", screening_questions=["Why us?"])
    application = ApplicationFactory(
        project=project, student=student, cover_note="I volunteer there on Saturdays.", answers=["Because I care."]
    )
    record_status_change(actor=student, target=application, from_state="", to_state="submitted")
    engagement = completed_engagement(student=student, accepted=["Content calendar"], reference=(5, "Superb work."))
    Message.objects.create(engagement=engagement, author=student, body="Here is the calendar.")
    Message.objects.create(engagement=engagement, author=None, body="A reply from the business.")
    notify(recipient=student, kind="application_update", title="Your application was received", send_email=False)
    client.force_login(student)

    response, data = download(client)

    assert response["Content-Disposition"].startswith('attachment; filename="campus-to-commerce-data-')
    assert response["Content-Type"].startswith("application/json")
    assert data["account"]["email"] == student.email
    assert data["account"]["full_name"] == "Ana Lopez"
    assert data["profile"]["skills"] == [{"skill": "Canva", "level": "advanced"}]
    assert data["profile"]["interests"] == [{"name": "Food security", "kind": "cause"}]
    assert data["profile"]["hours_per_week"] == 15
    assert len(data["profile"]["availability"]) == 1
    assert data["profile"]["resume_filename"] == "Ana CV.pdf"
    exported = next(item for item in data["applications"] if item["project"] == "Instagram for the food bank")
    assert exported["cover_note"] == "I volunteer there on Saturdays."
    assert exported["answers"] == [{"question": "Why us?", "answer": "Because I care."}]
    assert exported["business"] == project.business.name
    assert [change["to"] for change in exported["status_history"]] == ["submitted"]
    [work] = data["engagements"]
    assert work["status"] == "completed"
    assert [item["deliverable"] for item in work["submissions"]] == ["Content calendar"]
    assert [item["body"] for item in work["messages_written"]] == ["Here is the calendar."]
    assert work["feedback_given"][0]["comment"] == "A kind, well-organised team."
    assert work["feedback_received"][0]["comment"] == "Superb work."
    assert [item["title"] for item in data["notifications"]] == ["Your application was received"]


def test_the_export_leaves_out_other_students_and_feedback_not_yet_revealed(client):
    student = StudentProfileFactory().user
    other = StudentProfileFactory().user
    ApplicationFactory(student=other, cover_note="Someone else's words.")
    completed_engagement(
        student=student, reference=(2, "Hidden until the student writes theirs."), student_feedback=False
    )
    client.force_login(student)

    response, data = download(client)

    assert other.email not in response.content.decode()
    assert "Someone else's words." not in response.content.decode()
    assert data["engagements"][0]["feedback_received"] == []

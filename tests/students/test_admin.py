import pytest
from django.urls import reverse

from tests.factories import StaffFactory, sign_in
from tests.projects.factories import SkillFactory
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db


def test_staff_find_a_student_by_email_and_see_their_skills_and_dates(client):
    profile = StudentProfileFactory(user__email="ana@example.org", skills=[SkillFactory(name="Canva")])
    StudentProfileFactory(user__email="ben@example.org")
    sign_in(client, StaffFactory())

    listing = client.get(reverse("admin:students_studentprofile_changelist"), {"q": "ana@example"})

    assert listing.status_code == 200
    content = listing.content.decode()
    assert "ana@example.org" in content
    assert "ben@example.org" not in content

    page = client.get(reverse("admin:students_studentprofile_change", args=[profile.pk]))
    assert page.status_code == 200
    assert "Canva" in page.content.decode()
    assert "Sinclair Community College" in page.content.decode()

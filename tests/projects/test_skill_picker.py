"""Skills are picked with plain checkboxes in named groups (no Ctrl-click), on the project form, browse and profile."""

import re

import pytest
from django.urls import reverse

from catalogue.models import Skill
from projects.models import Project
from tests.factories import BusinessOwnerFactory
from tests.projects.factories import ProjectFactory
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db


def checkbox(content: str, name: str, value) -> str | None:
    match = re.search(rf'<input type="checkbox" name="{name}" value="{value}"[^>]*>', content)
    return match and match.group(0)


def test_the_project_form_lists_skills_as_checkboxes_in_groups_with_the_templates_ticked(client):
    client.force_login(BusinessOwnerFactory())

    content = client.get(reverse("businesses:project_new"), {"template": "social-media-campaign"}).content.decode()

    assert "<select multiple" not in content and " multiple" not in content
    assert "Ctrl" not in content
    assert '<legend class="form-label fs-6">Required skills<span class="asteriskField">*</span></legend>' in content
    assert '<legend class="picker-group-name">Marketing and communication</legend>' in content
    assert '<legend class="picker-group-name">Cause</legend>' in content  # interests, grouped by kind
    social = Skill.objects.get(name="Social media marketing")
    excel = Skill.objects.get(name="Excel")
    assert "checked" in checkbox(content, "required_skills", social.pk)
    assert "checked" not in checkbox(content, "required_skills", excel.pk)
    assert "checked" not in checkbox(content, "nice_to_have_skills", social.pk)


def test_ticked_skills_are_saved_and_a_missing_required_skill_is_explained(client):
    client.force_login(BusinessOwnerFactory())
    url = reverse("businesses:project_new")
    form = client.get(url, {"template": "social-media-campaign"}).context["form"]
    data = {name: form[name].value() for name in ["title", "summary", "description", "category", "fee"]}
    data |= {"deliverables": "Calendar", "duration_weeks": "4", "hours_per_week": "8", "location_mode": "remote"}
    data |= {"earliest_start": "2099-01-10", "apply_by": "2099-01-01", "openings": "1", "save_draft": "1"}

    response = client.post(url, data)
    assert "This field is required." in response.content.decode()
    assert 'class="picker mb-3 is-invalid"' in response.content.decode()

    excel, canva = Skill.objects.get(name="Excel"), Skill.objects.get(name="Canva")
    client.post(url, data | {"required_skills": [excel.pk], "nice_to_have_skills": [canva.pk]})
    project = Project.objects.get()
    assert list(project.required_skills.all()) == [excel]
    assert list(project.nice_to_have_skills.all()) == [canva]


def test_browse_filters_by_ticked_skills_and_keeps_them_ticked(client):
    excel = Skill.objects.get(name="Excel")
    ProjectFactory(title="Spreadsheet clean-up", required_skills=[excel])
    ProjectFactory(title="Poster design")

    content = client.get(reverse("projects:browse"), {"skills": [excel.slug]}).content.decode()

    assert "Spreadsheet clean-up" in content and "Poster design" not in content
    assert "checked" in checkbox(content, "skills", excel.slug)
    assert '<fieldset class="picker mb-3" id="div_id_skills" data-picker="Skills"' in content


def test_the_profile_skill_step_marks_its_rows_for_the_filter_box(client):
    client.force_login(StudentProfileFactory().user)

    content = client.get(reverse("students:onboarding"), {"step": "skills"}).content.decode()

    assert '<div data-picker="skills">' in content
    assert content.count("data-picker-item") == Skill.objects.count()

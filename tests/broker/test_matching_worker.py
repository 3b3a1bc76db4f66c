"""The production path for matching: a profile saved in the web process, scored by a real worker."""

from pathlib import Path

import pytest
from django.db import transaction

from matching.models import RecommendedProject
from students import services as student_services
from tests.factories import client_for
from tests.processes import wait_for
from tests.projects.factories import ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_saved_profile_is_scored_by_the_worker_and_the_recommendation_shows_on_home(celery_worker_process, settings):
    settings.C2C_MATCH_COALESCE_SECONDS = 0.5
    design = SkillFactory(name="Graphic design")
    project = ProjectFactory(title="Posters for the spring fair", required_skills=[design])
    profile = StudentProfileFactory(skills=[])
    assert not RecommendedProject.objects.filter(student=profile).exists()

    with transaction.atomic():
        student_services.save_skills(actor=profile.user, profile=profile, skills=[(design, "advanced")])

    def recommended():
        return RecommendedProject.objects.filter(student=profile, project=project).exists()

    assert wait_for(recommended), Path(celery_worker_process["log"]).read_text()[-3000:]
    page = client_for(profile.user).get("/").content.decode()
    assert "Recommended for you" in page
    assert "Posters for the spring fair" in page
    assert "You have 1 of 1 required skills: Graphic design (advanced)." in page

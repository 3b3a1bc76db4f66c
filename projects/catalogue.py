"""The curated skill list, interests and project templates shipped with the app (projects/data/catalogue.json)."""

import json
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "catalogue.json"


def load_catalogue(skill_model, interest_model, template_model) -> int:
    """Create whatever of the shipped catalogue is missing; never overwrite staff edits. Returns rows created.

    Takes the model classes so data migrations can pass their historical models.
    """
    data = json.loads(CATALOGUE_PATH.read_text())
    created = 0
    skills = {}
    for group, names in data["skills"].items():
        for name in names:
            skill, was_created = skill_model.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "group": group}
            )
            skills[name] = skill
            created += was_created
    for kind, names in data["interests"].items():
        for name in names:
            _, was_created = interest_model.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "kind": kind}
            )
            created += was_created
    for position, spec in enumerate(data["templates"]):
        template, was_created = template_model.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "summary": spec["summary"],
                "description": spec["description"],
                "deliverables": spec["deliverables"],
                "category": spec["category"],
                "duration_weeks": spec["duration_weeks"],
                "hours_per_week": spec["hours_per_week"],
                "suggested_fee": Decimal(spec["suggested_fee"]),
                "position": position,
            },
        )
        if was_created:
            template.required_skills.set([skills[name] for name in spec["required_skills"]])
            template.nice_to_have_skills.set([skills[name] for name in spec["nice_to_have_skills"]])
            created += 1
    return created

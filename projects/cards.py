"""Catalogue cards, each drawn once per catalogue generation for everyone who sees it without a match score.

Browsing pages share most of their cards (the same projects come up for many searches and filters), so a
page built for its first reader fetches the cards it can in one cache read and draws only the others.
"""

from django.core.cache import cache
from django.template.loader import render_to_string

from c2c.page_cache import PAGE_SECONDS, catalogue_generation

CARD_TEMPLATE = "projects/_card.html"


def attach_cards(projects: list) -> None:
    """Set `project.card` (its HTML) on each project shown without a match score."""
    plain = [project for project in projects if getattr(project, "match", None) is None]
    if not plain:
        return
    generation = catalogue_generation()
    keys = {project.pk: f"card:{generation}:{project.pk}" for project in plain}
    kept = cache.get_many(list(keys.values()))
    drawn = {}
    for project in plain:
        key = keys[project.pk]
        if key not in kept:
            drawn[key] = render_to_string(CARD_TEMPLATE, {"project": project, "match": None})
        project.card = kept.get(key) or drawn[key]
    if drawn:
        cache.set_many(drawn, PAGE_SECONDS)

"""Random but realistic students and projects, as scoring facts, and the slow reference ways to score them:
for the matching benchmark and the engine's agreement tests (never used by the site itself)."""

import random
from datetime import date, timedelta

from matching.engine import StudentArrays, StudentTable, Vocabulary, table_arrays
from matching.scoring import (
    HYBRID,
    ONSITE,
    REMOTE,
    ProjectFacts,
    StudentFacts,
    Weights,
    normalise_place,
    score_pair,
)

LEVELS = ("beginner", "intermediate", "advanced")
CITIES = [
    ("Columbus", "OH"),
    ("Cleveland", "OH"),
    ("Cincinnati", "OH"),
    ("Dayton", "OH"),
    ("Toledo", "OH"),
    ("Akron", "OH"),
    ("Pittsburgh", "PA"),
    ("Detroit", "MI"),
]
CATEGORIES = ("marketing", "data", "web", "finance", "research", "events", "design", "operations")


def random_windows(rng: random.Random, today: date) -> tuple:
    """Zero to three date ranges: terms, summers and the odd gap, never overlapping."""
    windows = []
    cursor = today + timedelta(days=rng.randint(-20, 40))
    for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
        length = timedelta(days=rng.randint(20, 120))
        windows.append((cursor, cursor + length))
        cursor = cursor + length + timedelta(days=rng.randint(1, 45))
    return tuple(windows)


def random_student(rng: random.Random, pk: int, skill_ids, interest_ids, today: date) -> StudentFacts:
    skills = {skill: rng.choice(LEVELS) for skill in rng.sample(skill_ids, rng.randint(0, 10))}
    city, state = rng.choice(CITIES) if rng.random() < 0.8 else ("", "")
    return StudentFacts(
        id=pk,
        hours_per_week=rng.choice((0, 5, 8, 10, 10, 12, 15, 15, 20, 25, 30, 40)),
        location_preference=rng.choice((REMOTE, REMOTE, HYBRID, ONSITE)),
        place=normalise_place(city, state),
        skills=skills,
        interests=frozenset(rng.sample(interest_ids, rng.randint(0, 5))),
        windows=random_windows(rng, today),
        discoverable=rng.random() < 0.6,
    )


def random_project(rng: random.Random, pk: int, skill_ids, interest_ids, today: date, related) -> ProjectFacts:
    skills = rng.sample(skill_ids, rng.randint(0, 7))
    cut = rng.randint(0, len(skills))
    mode = rng.choice((REMOTE, REMOTE, HYBRID, ONSITE))
    city, state = rng.choice(CITIES) if mode != REMOTE or rng.random() < 0.5 else ("", "")
    category = rng.choice(CATEGORIES)
    return ProjectFacts(
        id=pk,
        hours_per_week=rng.choice((3, 5, 5, 8, 10, 10, 12, 15, 20)),
        duration_weeks=rng.randint(2, 8),
        earliest_start=today + timedelta(days=rng.randint(7, 90)),
        location_mode=mode,
        place=normalise_place(city, state),
        required=tuple(sorted(skills[:cut])),
        nice=tuple(sorted(skills[cut:])),
        interests=frozenset(rng.sample(interest_ids, rng.randint(0, 3))),
        related_interests=frozenset(related.get(category, ())),
    )


def student_arrays(students, vocabulary: Vocabulary, weights: Weights) -> StudentArrays:
    """Arrays for StudentFacts in hand (samples, tests), in id order, through the same table the database fills."""
    return table_arrays(StudentTable.from_facts(students), vocabulary, weights)


def score_pairs_naively(students, projects, weights: Weights):
    """The straightforward way: `score_pair` on every pair. For benchmarks and the agreement test."""
    return [[score_pair(student, project, weights) for project in projects] for student in students]

"""The numpy engine gives exactly the reference's scores and hard-rule verdicts."""

import random
from datetime import date

import numpy as np
import pytest

from bench import synthetic
from matching import engine
from matching.scoring import Weights, score_pair

SKILLS = list(range(1, 59))
INTERESTS = list(range(1, 22))
TODAY = date(2026, 11, 22)


def sample(seed: int, students: int, projects: int):
    rng = random.Random(seed)
    related = {category: rng.sample(INTERESTS, 3) for category in synthetic.CATEGORIES}
    return (
        [synthetic.random_student(rng, pk, SKILLS, INTERESTS, TODAY) for pk in range(1, students + 1)],
        [synthetic.random_project(rng, pk, SKILLS, INTERESTS, TODAY, related) for pk in range(1, projects + 1)],
    )


@pytest.mark.parametrize(
    "weights",
    [
        Weights(),
        # Odd weights and level values: float noise must not move a score across a rounding boundary.
        Weights(
            required=33.3,
            nice=7.1,
            interests=19.9,
            availability=27.7,
            location=11.0,
            start_window_days=10,
            levels={"beginner": 0.3, "intermediate": 0.65, "advanced": 0.95},
        ),
        Weights(start_window_days=0),
    ],
)
def test_engine_and_reference_agree_on_every_pair_of_a_random_sample(weights):
    students, projects = sample(seed=7, students=300, projects=200)
    vocabulary = engine.Vocabulary(SKILLS, INTERESTS)

    scores, recommended = engine.score_block(
        synthetic.student_arrays(students, vocabulary, weights),
        engine.project_arrays(projects, vocabulary, weights),
        weights,
    )

    naive = synthetic.score_pairs_naively(students, projects, weights)
    assert scores.tolist() == [[match.score for match in row] for row in naive]
    assert recommended.tolist() == [[match.recommended for match in row] for row in naive]
    assert 0.05 < recommended.mean() < 0.95  # the sample exercises both verdicts


def test_an_empty_side_gives_an_empty_block():
    students, projects = sample(seed=1, students=3, projects=0)
    vocabulary = engine.Vocabulary(SKILLS, INTERESTS)
    weights = Weights()

    scores, recommended = engine.score_block(
        synthetic.student_arrays(students, vocabulary, weights),
        engine.project_arrays(projects, vocabulary, weights),
        weights,
    )

    assert scores.shape == recommended.shape == (3, 0)


def test_top_n_picks_the_largest_keys_in_order():
    keys = np.array([[5, -1, 9, 7], [-1, -1, 3, -1]])

    picked = engine.top_n(keys, 3, axis=1)

    assert picked[0].tolist() == [2, 3, 0]
    assert picked[1][0] == 2
    assert engine.top_n(keys, 1, axis=0).tolist() == [[0, 0, 0, 0]]


def test_ties_go_to_the_newer_project_and_to_the_earlier_student():
    weights = Weights()
    students, projects = sample(seed=3, students=2, projects=2)
    projects = [projects[0], projects[0]._replace(id=99)]
    vocabulary = engine.Vocabulary(SKILLS, INTERESTS)
    student_arrays = synthetic.student_arrays(students, vocabulary, weights)
    project_arrays = engine.project_arrays(projects, vocabulary, weights)
    scores = np.full((2, 2), 80, dtype=np.int16)
    recommended = np.ones((2, 2), dtype=bool)

    keys = engine.student_side_keys(scores, recommended, project_arrays)
    assert project_arrays.ids[engine.top_n(keys, 1, axis=1)[0][0]] == max(project_arrays.ids)

    student_arrays.discoverable[:] = True
    keys = engine.project_side_keys(scores, recommended, student_arrays)
    assert student_arrays.ids[engine.top_n(keys, 1, axis=0)[0][0]] == min(student_arrays.ids)


def test_the_reference_is_what_the_engine_reproduces_for_a_single_pair():
    students, projects = sample(seed=11, students=1, projects=1)
    weights = Weights()
    vocabulary = engine.Vocabulary(SKILLS, INTERESTS)

    scores, _ = engine.score_block(
        synthetic.student_arrays(students, vocabulary, weights),
        engine.project_arrays(projects, vocabulary, weights),
        weights,
    )

    assert scores[0, 0] == score_pair(students[0], projects[0], weights).score

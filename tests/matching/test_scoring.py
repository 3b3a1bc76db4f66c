"""The reference score on small hand-made cases: each component, the hard rules, rounding and missing data."""

from datetime import date, timedelta

import pytest

from matching.scoring import HYBRID, ONSITE, REMOTE, ProjectFacts, StudentFacts, Weights, score_pair

START = date(2027, 6, 7)  # a Monday
SUMMER = ((date(2027, 6, 1), date(2027, 8, 31)),)
DESIGN, COPY, PHOTO, EXCEL = 1, 2, 3, 4
MEDIA, RETAIL, TECH = 10, 11, 12
WEIGHTS = Weights()  # the defaults: required 40, nice 10, interests 15, availability 25, location 10


def project(**overrides):
    values = {
        "id": 1,
        "hours_per_week": 10,
        "duration_weeks": 4,
        "earliest_start": START,
        "required": (DESIGN,),
        "nice": (EXCEL,),
        "interests": frozenset({MEDIA}),
        "related_interests": frozenset({TECH}),
    }
    return ProjectFacts(**{**values, **overrides})


def student(**overrides):
    values = {
        "id": 1,
        "hours_per_week": 15,
        "skills": {DESIGN: "advanced", EXCEL: "beginner"},
        "interests": frozenset({MEDIA}),
        "windows": SUMMER,
        "place": ("dayton", "oh"),
    }
    return StudentFacts(**{**values, **overrides})


def test_a_student_who_meets_everything_scores_100_and_is_recommended():
    match = score_pair(student(), project(), WEIGHTS)

    assert match.score == 100
    assert match.recommended
    assert match.reasons == {
        "met": [[DESIGN, "advanced"]],
        "missing": [],
        "nice": [EXCEL],
        "interests": [MEDIA],
        "related": [],
        "hours": [15, 10],
        "window": ["2027-06-01", "2027-08-31"],
        "start": "2027-06-07",
        "place": "remote",
    }


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ({DESIGN: "advanced", COPY: "advanced"}, 100),
        ({DESIGN: "advanced", COPY: "intermediate"}, 95),  # (1 + 0.75) / 2 of 40 points
        ({DESIGN: "advanced", COPY: "beginner"}, 90),
        ({DESIGN: "advanced"}, 80),  # half the required skills, missing one
        ({}, 60),
    ],
)
def test_required_skills_are_weighted_by_level(levels, expected):
    match = score_pair(student(skills={**levels, EXCEL: "beginner"}), project(required=(DESIGN, COPY)), WEIGHTS)

    assert match.score == expected
    assert match.reasons["missing"] == [skill for skill in (DESIGN, COPY) if skill not in levels]


def test_nice_to_have_skills_count_at_any_level_and_a_project_asking_for_none_gives_full_points():
    assert score_pair(student(skills={DESIGN: "advanced"}), project(nice=(EXCEL, PHOTO)), WEIGHTS).score == 90
    assert score_pair(student(skills={DESIGN: "advanced"}), project(nice=()), WEIGHTS).score == 100
    assert score_pair(student(skills={}), project(required=(), nice=()), WEIGHTS).score == 100


@pytest.mark.parametrize(
    ("interests", "own", "expected", "reason_key"),
    [
        ({MEDIA}, {MEDIA, RETAIL}, 93, "interests"),  # 93 = 100 - 15 / 2 rounded half up (92.5 → 93)
        ({MEDIA, RETAIL}, {MEDIA, RETAIL}, 100, "interests"),
        ({TECH}, {MEDIA}, 93, "related"),  # only the category's related interest: half
        ({TECH}, set(), 100, "related"),  # no interests listed: the category decides
        (set(), {MEDIA}, 85, None),
    ],
)
def test_interests_compare_with_the_projects_own_and_its_categorys(interests, own, expected, reason_key):
    match = score_pair(student(interests=frozenset(interests)), project(interests=frozenset(own)), WEIGHTS)

    assert match.score == expected
    if reason_key:
        assert match.reasons[reason_key]


def test_too_few_hours_is_scored_but_never_recommended():
    match = score_pair(student(hours_per_week=5), project(hours_per_week=10), WEIGHTS)

    # Hours give half the availability component in proportion: 0.5 * 0.5 + 0.5 * 1 of 25 points.
    assert match.score == 94  # 93.75 rounded
    assert not match.recommended
    assert match.reasons["hours"] == [5, 10]


def test_no_date_range_holding_the_project_is_never_recommended():
    short = ((date(2027, 6, 1), date(2027, 6, 20)),)  # ends before four weeks from the 7th

    for windows in [(), short]:
        match = score_pair(student(windows=windows), project(), WEIGHTS)
        assert not match.recommended
        assert match.reasons["window"] is None
        assert match.score == 88  # 100 - 25 / 2 (the dates half of availability)


def test_a_start_that_slips_inside_the_start_window_costs_a_little_and_beyond_it_fails():
    late_by_a_week = ((START + timedelta(days=7), START + timedelta(days=90)),)
    late_by_three_weeks = ((START + timedelta(days=21), START + timedelta(days=90)),)

    slipped = score_pair(student(windows=late_by_a_week), project(), WEIGHTS)
    assert slipped.recommended
    assert slipped.score == 97  # dates 1 - 0.5 * 7/14 = 0.75 → 96.875
    assert slipped.reasons["start"] == "2027-06-14"

    assert not score_pair(student(windows=late_by_three_weeks), project(), WEIGHTS).recommended


def test_the_first_window_that_holds_the_project_is_the_one_given_as_the_reason():
    windows = ((date(2027, 5, 1), date(2027, 6, 10)), (date(2027, 6, 12), date(2027, 9, 1)))

    match = score_pair(student(windows=windows), project(), WEIGHTS)

    assert match.reasons["window"] == ["2027-06-12", "2027-09-01"]
    assert match.reasons["start"] == "2027-06-12"


@pytest.mark.parametrize(
    ("mode", "preference", "place", "expected_place", "expected_score"),
    [
        (REMOTE, REMOTE, ("toledo", "oh"), "remote", 100),
        (ONSITE, REMOTE, ("dayton", "oh"), "not_open", 90),
        (ONSITE, ONSITE, ("dayton", "oh"), "same_city", 100),
        (ONSITE, ONSITE, ("toledo", "oh"), "same_state", 95),
        (ONSITE, ONSITE, ("detroit", "mi"), "elsewhere", 90),
        (ONSITE, ONSITE, ("", ""), "unknown", 95),
        (HYBRID, HYBRID, ("detroit", "mi"), "elsewhere", 93),  # a quarter of 10 points: 92.5 → 93
        (HYBRID, REMOTE, ("dayton", "oh"), "not_open", 90),
    ],
)
def test_location_by_mode_preference_and_place(mode, preference, place, expected_place, expected_score):
    match = score_pair(
        student(location_preference=preference, place=place),
        project(location_mode=mode, place=("dayton", "oh")),
        WEIGHTS,
    )

    assert match.reasons["place"] == expected_place
    assert match.score == expected_score


def test_a_student_with_nothing_filled_in_still_gets_a_score_with_true_reasons():
    match = score_pair(StudentFacts(id=9), project(), WEIGHTS)

    assert not match.recommended
    assert match.score == 10  # only location (remote) scores
    assert match.reasons["missing"] == [DESIGN]
    assert match.reasons["hours"] == [0, 10]
    assert match.reasons["window"] is None


def test_equal_facts_give_equal_scores_whatever_the_ids():
    first = score_pair(student(id=1), project(id=1), WEIGHTS)
    second = score_pair(student(id=2), project(id=2), WEIGHTS)

    assert first == second


def test_weights_come_from_settings(settings):
    settings.C2C_MATCH_WEIGHTS = {"required": 1, "nice": 0, "interests": 0, "availability": 0, "location": 0}

    weights = Weights.from_settings()

    assert score_pair(student(skills={}), project(), weights).score == 0
    assert score_pair(student(), project(), weights).score == 100


def test_weights_that_add_up_to_nothing_are_refused(settings):
    settings.C2C_MATCH_WEIGHTS = {"required": 0, "nice": 0, "interests": 0, "availability": 0, "location": 0}

    with pytest.raises(ValueError, match="add up"):
        Weights.from_settings()

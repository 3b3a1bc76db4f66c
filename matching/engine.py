"""`scoring.score_pair` for whole blocks of students x projects at once, with numpy.

Most of the score depends on few distinct values on the project side, so it is computed once per
distinct value and gathered, instead of once per pair:
- both skill components come out of one matrix product with per-project weights folded in;
- interests are a code (shared + M x related) looked up in a table built by the reference rule;
- hours per distinct project hours, dates per distinct (earliest start, duration), location per
  distinct student (preference, place) — each a small matrix, gathered into the block.

The arithmetic is the reference's, in a different order; the rounding nudge in `scoring` makes
that order irrelevant, and tests/matching/test_engine.py holds both to the same results.
Reasons are not vectorised: the pairs that are kept get theirs from `score_pair` itself.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.scoring import (
    ROUNDING_NUDGE,
    ProjectFacts,
    StudentFacts,
    Weights,
    interest_fit,
    location_fit,
    normalise_place,
)

NO_WINDOW_START = np.int64(10**8)  # an ordinal later than any real date, so a padding slot never fits
RANK_SHIFT = np.int64(2**32)


class Vocabulary:
    """Column numbers for skills and interests, shared by both sides of a block."""

    def __init__(self, skill_ids, interest_ids):
        self.skills = {skill: n for n, skill in enumerate(sorted(set(skill_ids)))}
        self.interests = {interest: n for n, interest in enumerate(sorted(set(interest_ids)))}


class StudentTable:
    """Matchable students as flat, id-sorted arrays: cheap to load for all 20,000 at once.

    `facts(row)` builds one student's StudentFacts on demand, for the few pairs whose reasons are kept.
    """

    def __init__(self, rows, skills, interests, windows):
        self.ids = np.array([row[0] for row in rows], dtype=np.int64)
        self.hours = np.array([row[1] or 0 for row in rows], dtype=np.int64)
        self.preferences = [row[2] for row in rows]
        self.places = [normalise_place(row[3], row[4]) for row in rows]
        self.discoverable = np.array([row[5] for row in rows], dtype=bool)
        self.skill_owner, (self.skill_ids, self.skill_levels) = self._owned(skills, (np.int64, object))
        self.interest_owner, (self.interest_ids,) = self._owned(interests, (np.int64,))
        self.window_owner, (self.window_starts, self.window_ends) = self._owned(windows, (object, object))

    @classmethod
    def from_facts(cls, students) -> "StudentTable":
        """The table of StudentFacts already in hand (synthetic data, samples), in id order."""
        students = sorted(students, key=lambda student: student.id)
        return cls(
            [(s.id, s.hours_per_week, s.location_preference, *s.place, s.discoverable) for s in students],
            [(s.id, skill, level) for s in students for skill, level in sorted(s.skills.items())],
            [(s.id, interest) for s in students for interest in sorted(s.interests)],
            [(s.id, starts_on, ends_on) for s in students for starts_on, ends_on in s.windows],
        )

    def __len__(self):
        return len(self.ids)

    def _owned(self, rows, dtypes):
        """Rows (owner id, values...), sorted by owner then first value, as owner row numbers and value arrays.

        Rows of students outside the table (the id range may hold others) are dropped.
        """
        if not rows or not len(self.ids):
            return np.zeros(0, dtype=np.intp), tuple(np.zeros(0, dtype=dtype) for dtype in dtypes)
        owner_ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        owner = np.minimum(np.searchsorted(self.ids, owner_ids), len(self.ids) - 1)
        keep = self.ids[owner] == owner_ids
        values = tuple(
            np.fromiter((row[column] for row in rows), dtype=dtype, count=len(rows))[keep]
            for column, dtype in enumerate(dtypes, start=1)
        )
        return owner[keep], values

    def span(self, owner: np.ndarray, row: int) -> slice:
        first, last = np.searchsorted(owner, [row, row + 1])
        return slice(int(first), int(last))

    def facts(self, row: int) -> StudentFacts:
        skills = self.span(self.skill_owner, row)
        interests = self.span(self.interest_owner, row)
        windows = self.span(self.window_owner, row)
        return StudentFacts(
            id=int(self.ids[row]),
            hours_per_week=int(self.hours[row]),
            location_preference=self.preferences[row],
            place=self.places[row],
            skills=dict(zip(self.skill_ids[skills].tolist(), self.skill_levels[skills].tolist(), strict=True)),
            interests=frozenset(self.interest_ids[interests].tolist()),
            windows=tuple(zip(self.window_starts[windows].tolist(), self.window_ends[windows].tolist(), strict=True)),
            discoverable=bool(self.discoverable[row]),
        )


@dataclass
class StudentArrays:
    ids: np.ndarray
    skills: np.ndarray  # (n, 2 x skills): level weight of each skill held, then 1 for each skill held
    interests: np.ndarray  # (n, interests)
    hours: np.ndarray
    window_starts: np.ndarray  # (n, k) ordinals, padded with NO_WINDOW_START
    window_ends: np.ndarray
    location_class: np.ndarray  # row of `location_students` for each student
    location_students: list  # one representative StudentFacts per distinct (preference, place)
    discoverable: np.ndarray

    def __len__(self):
        return len(self.ids)

    def rows(self, rows: slice) -> "StudentArrays":
        sliced = {name: value[rows] for name, value in vars(self).items() if name != "location_students"}
        return StudentArrays(location_students=self.location_students, **sliced)


@dataclass
class ProjectArrays:
    ids: np.ndarray
    skill_points: np.ndarray  # (p, 2 x skills): points per required level weight, then per nice skill held
    constant_points: np.ndarray  # points for skill components a project doesn't ask for
    interest_codes: np.ndarray  # (p, interests): 1 for its own interests + `code_base` for related ones
    code_offset: np.ndarray  # row of the interest table for each project, pre-multiplied
    interest_table: np.ndarray  # flattened (min(2, own interests), code) → points
    hours: np.ndarray  # distinct hours per week
    hours_index: np.ndarray  # column in `hours` for each project
    starts: np.ndarray  # distinct (earliest start ordinal, last-day offset) pairs
    starts_index: np.ndarray
    location_class: np.ndarray  # row of `location_projects` for each project
    location_projects: list  # one representative ProjectFacts per distinct (mode, place)

    def __len__(self):
        return len(self.ids)


def table_arrays(table, vocabulary: Vocabulary, weights: Weights) -> StudentArrays:
    """Students' arrays straight from a StudentTable, without an object per student."""
    n, width = len(table), len(vocabulary.skills)
    skills = np.zeros((n, 2 * width))
    if len(table.skill_owner):
        columns = np.array([vocabulary.skills[skill] for skill in table.skill_ids.tolist()], dtype=np.intp)
        skills[table.skill_owner, columns] = [weights.levels[level] for level in table.skill_levels.tolist()]
        skills[table.skill_owner, width + columns] = 1.0
    interests = np.zeros((n, len(vocabulary.interests)))
    if len(table.interest_owner):
        columns = np.array([vocabulary.interests[interest] for interest in table.interest_ids.tolist()], dtype=np.intp)
        interests[table.interest_owner, columns] = 1.0
    owner = table.window_owner
    # Windows arrive sorted by owner then start: a window's slot is its place in its owner's run.
    slot = np.arange(len(owner)) - np.searchsorted(owner, owner)
    slots = int(slot.max()) + 1 if len(slot) else 1
    window_starts = np.full((n, slots), NO_WINDOW_START, dtype=np.int64)
    window_ends = np.zeros((n, slots), dtype=np.int64)
    window_starts[owner, slot] = [day.toordinal() for day in table.window_starts.tolist()]
    window_ends[owner, slot] = [day.toordinal() for day in table.window_ends.tolist()]
    classes = {}
    location_class = np.array(
        [classes.setdefault(key, len(classes)) for key in zip(table.preferences, table.places, strict=True)],
        dtype=np.intp,
    )
    return StudentArrays(
        ids=table.ids,
        skills=skills,
        interests=interests,
        hours=table.hours.astype(np.float64),
        window_starts=window_starts,
        window_ends=window_ends,
        location_class=location_class,
        location_students=[StudentFacts(id=0, location_preference=pref, place=place) for pref, place in classes],
        discoverable=table.discoverable,
    )


def _interest_table(code_base: int, related_max: int, points: float) -> np.ndarray:
    """Interest points for (min(2, the project's own interest count), shared + code_base x related shared)."""
    table = np.zeros((3, code_base * (related_max + 1)))
    for own in range(3):
        for code in range(table.shape[1]):
            table[own, code] = points * interest_fit(own, code % code_base, code // code_base)
    return table.ravel()


def project_arrays(projects, vocabulary: Vocabulary, weights: Weights) -> ProjectArrays:
    p, width = len(projects), len(vocabulary.skills)
    points = weights.points
    skill_points = np.zeros((p, 2 * width))
    constant_points = np.zeros(p)
    code_base = max((len(project.interests) for project in projects), default=0) + 1
    related_max = max((len(project.related_interests) for project in projects), default=0)
    interest_codes = np.zeros((p, len(vocabulary.interests)))
    for row, project in enumerate(projects):
        if project.required:
            columns = [vocabulary.skills[skill] for skill in project.required]
            skill_points[row, columns] = points["required"] / len(project.required)
        else:
            constant_points[row] += points["required"]
        if project.nice:
            columns = [width + vocabulary.skills[skill] for skill in project.nice]
            skill_points[row, columns] = points["nice"] / len(project.nice)
        else:
            constant_points[row] += points["nice"]
        for interest in project.related_interests:
            if interest in vocabulary.interests:
                interest_codes[row, vocabulary.interests[interest]] = code_base
        for interest in project.interests:
            interest_codes[row, vocabulary.interests[interest]] += 1
    interest_columns = code_base * (related_max + 1)
    locations = {}
    location_class = np.array(
        [locations.setdefault((project.location_mode, project.place), len(locations)) for project in projects],
        dtype=np.intp,
    )
    hours, hours_index = np.unique([project.hours_per_week for project in projects], return_inverse=True)
    starts, starts_index = np.unique(
        [(project.earliest_start.toordinal(), project.duration_weeks * 7 - 1) for project in projects] or [(0, 0)],
        axis=0,
        return_inverse=True,
    )
    return ProjectArrays(
        ids=np.array([project.id for project in projects], dtype=np.int64),
        skill_points=skill_points,
        constant_points=constant_points,
        interest_codes=interest_codes,
        code_offset=np.array(
            [min(len(project.interests), 2) * interest_columns for project in projects], dtype=np.intp
        ),
        interest_table=_interest_table(code_base, related_max, points["interests"]),
        hours=hours.astype(np.float64),
        hours_index=hours_index.ravel(),
        starts=starts,
        starts_index=starts_index.ravel()[:p],
        location_class=location_class,
        location_projects=[
            ProjectFacts(0, 1, 2, date.min, location_mode=mode, place=place) for mode, place in locations
        ],
    )


def _location_points(students: StudentArrays, projects: ProjectArrays, weights: Weights) -> np.ndarray:
    """(distinct student locations x projects) points, from the reference `location_fit`."""
    points = weights.points["location"]
    table = np.array(
        [
            [points * location_fit(student, project)[0] for project in projects.location_projects]
            for student in students.location_students
        ]
    ).reshape(len(students.location_students), len(projects.location_projects))
    return table[:, projects.location_class]


def _date_points(students: StudentArrays, projects: ProjectArrays, weights: Weights):
    """(students x distinct starts) availability points for dates, and whether any window fits."""
    earliest, last_day = projects.starts[:, 0], projects.starts[:, 1]
    window_days = weights.start_window_days
    latest = earliest + window_days
    dates = np.zeros((len(students), len(earliest)))
    fits = np.zeros(dates.shape, dtype=bool)
    for slot in range(students.window_starts.shape[1]):
        start = np.maximum(students.window_starts[:, slot, None], earliest)
        slot_fits = (start <= latest) & (start + last_day <= students.window_ends[:, slot, None])
        slot_dates = 1.0 - 0.5 * (start - earliest) / window_days if window_days else np.ones(start.shape)
        # Windows are sorted and apart, so the first that fits starts earliest: the largest value wins.
        np.maximum(dates, np.where(slot_fits, slot_dates, 0.0), out=dates)
        fits |= slot_fits
    return weights.points["availability"] * (0.5 * dates), fits


def score_block(students: StudentArrays, projects: ProjectArrays, weights: Weights):
    """(scores, recommended): two (students x projects) arrays, the same as `score_pair` on every pair."""
    total = students.skills @ projects.skill_points.T
    total += projects.constant_points

    codes = (students.interests @ projects.interest_codes.T).astype(np.intp)
    codes += projects.code_offset
    total += projects.interest_table[codes]
    del codes

    hour_points = weights.points["availability"] * (0.5 * np.minimum(1.0, students.hours[:, None] / projects.hours))
    total += hour_points[:, projects.hours_index]
    has_hours = (students.hours[:, None] >= projects.hours)[:, projects.hours_index]

    date_points, fits = _date_points(students, projects, weights)
    total += date_points[:, projects.starts_index]
    recommended = has_hours & fits[:, projects.starts_index]

    total += _location_points(students, projects, weights)[students.location_class]

    total += 0.5 + ROUNDING_NUDGE
    scores = np.floor(total, out=total).astype(np.int16)
    return scores, recommended


def top_n(keys: np.ndarray, n: int, axis: int) -> np.ndarray:
    """Indices along `axis` of the n largest keys, largest first; callers skip those whose key is below 0."""
    if axis == 0:
        return top_n(np.ascontiguousarray(keys.T), n, axis=1).T
    if keys.shape[1] > n:
        candidates = np.argpartition(-keys, n - 1, axis=1)[:, :n]
    else:
        candidates = np.broadcast_to(np.arange(keys.shape[1]), keys.shape).copy()
    picked = np.take_along_axis(keys, candidates, axis=1)
    order = np.argsort(-picked, axis=1, kind="stable")
    return np.take_along_axis(candidates, order, axis=1)


def student_side_keys(scores, recommended, projects: ProjectArrays) -> np.ndarray:
    """Sort keys for a student's list: score, then the newer (higher id) project; -1 when not recommended."""
    return np.where(recommended, scores.astype(np.int64) * RANK_SHIFT + projects.ids, -1)


def project_side_keys(scores, recommended, students: StudentArrays) -> np.ndarray:
    """Sort keys for a project's list: score, then the earlier (lower id) student; discoverable students only."""
    eligible = recommended & students.discoverable[:, None]
    return np.where(eligible, scores.astype(np.int64) * RANK_SHIFT + (RANK_SHIFT - 1 - students.ids[:, None]), -1)

"""How well a student fits a project: one pure, documented score from 0 to 100, with its reasons.

`score_pair` is the reference: plain Python, one pair at a time, no database. `matching.engine`
computes the same numbers for whole blocks of students x projects with numpy; a test holds the two
to the same results on random samples.

Five components, each from 0 to 1, weighted by `settings.C2C_MATCH_WEIGHTS` and scaled to 0-100:

- required skills: for each required skill the student has, the weight of their level
  (`C2C_MATCH_LEVEL_WEIGHTS`: advanced 1, intermediate 0.75, beginner 0.5), summed and divided by
  the number of required skills. A project that requires none: 1.
- nice-to-have skills: the share of them the student has, at any level. None listed: 1.
- interests: the project's own industries and causes the student shares, up to two, out of
  min(2, how many it lists). Sharing none of them but caring about an interest related to the
  project's category (`CATEGORY_INTERESTS`) counts a half. A project listing no interests is judged
  on its category alone.
- availability: half for hours (1 when the student has at least the project's hours a week, else
  the fraction they have) and half for dates: 1 when one of the student's date ranges holds the
  whole project from its earliest start, falling linearly to 0.5 when the start must slip to the
  end of the start window (`C2C_MATCH_START_WINDOW_DAYS` after the earliest start), 0 when no range
  holds it.
- location: remote projects suit everyone. Hybrid: 0 for remote-only students, otherwise same
  city 1, same state 0.5, elsewhere 0.25, unknown 0.5. On-site: 0 unless the student is open to
  on-site work, then same city 1, same state 0.5, elsewhere 0, unknown 0.5.

Hard rules: a student with fewer hours a week than the project needs, or with no date range that
holds it inside its start window, is not *recommended* (they may still apply and are still scored).

The total is rounded half up (74.5 → 75). The nudge of 1e-9 is far above float noise (1e-13) and far
below any real gap between scores, so any order of the same arithmetic rounds to the same integer.
Ties are broken by the caller: newer project first for a student, earlier student first for a project.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import NamedTuple

from django.conf import settings

from catalogue.fit import date_fit

REMOTE, HYBRID, ONSITE = "remote", "hybrid", "onsite"

# Interests a project's category speaks to, by Interest slug (see projects/data/catalogue.json).
CATEGORY_INTERESTS = {
    "marketing": ("media", "retail", "small-business-growth"),
    "data": ("technology", "professional-services"),
    "web": ("technology", "media"),
    "finance": ("finance", "professional-services", "small-business-growth"),
    "research": ("education", "health", "community-development"),
    "events": ("arts-and-culture", "community-development", "food-and-hospitality"),
    "design": ("arts-and-culture", "media"),
    "operations": ("professional-services", "small-business-growth", "trades"),
}

# Location score by project mode, then place relation; `None` means the student is not open to the mode.
PLACE_SCORES = {
    HYBRID: {"same_city": 1.0, "same_state": 0.5, "elsewhere": 0.25, "unknown": 0.5},
    ONSITE: {"same_city": 1.0, "same_state": 0.5, "elsewhere": 0.0, "unknown": 0.5},
}
# Which project modes each student location preference is open to.
OPEN_TO = {REMOTE: {REMOTE}, HYBRID: {REMOTE, HYBRID}, ONSITE: {REMOTE, HYBRID, ONSITE}}

ROUNDING_NUDGE = 1e-9


@dataclass(frozen=True)
class Weights:
    required: float = 40
    nice: float = 10
    interests: float = 15
    availability: float = 25
    location: float = 10
    levels: dict = field(default_factory=lambda: {"beginner": 0.5, "intermediate": 0.75, "advanced": 1.0})
    start_window_days: int = 14

    @property
    def total(self) -> float:
        return self.required + self.nice + self.interests + self.availability + self.location

    @cached_property
    def points(self) -> dict:
        """Each component's share of 100 points."""
        return {
            name: getattr(self, name) * 100 / self.total
            for name in ("required", "nice", "interests", "availability", "location")
        }

    @classmethod
    def from_settings(cls) -> "Weights":
        parts = dict(settings.C2C_MATCH_WEIGHTS)
        weights = cls(
            levels=dict(settings.C2C_MATCH_LEVEL_WEIGHTS),
            start_window_days=settings.C2C_MATCH_START_WINDOW_DAYS,
            **parts,
        )
        if weights.total <= 0:
            raise ValueError("C2C_MATCH_WEIGHTS must add up to more than 0.")
        return weights


def normalise_place(city: str, state: str) -> tuple[str, str]:
    return " ".join(city.split()).casefold(), " ".join(state.split()).casefold()


@dataclass(frozen=True)
class StudentFacts:
    """What matching knows of a student; `id` is the StudentProfile's."""

    id: int
    hours_per_week: int = 0
    location_preference: str = REMOTE
    place: tuple[str, str] = ("", "")
    skills: dict = field(default_factory=dict)  # skill id → level
    interests: frozenset = frozenset()
    windows: tuple = ()  # sorted, non-overlapping (starts_on, ends_on) pairs
    discoverable: bool = False


class ProjectFacts(NamedTuple):
    """What matching knows of a project. A named tuple: thousands are built per refresh, and cheaply."""

    id: int
    hours_per_week: int
    duration_weeks: int
    earliest_start: date
    location_mode: str = REMOTE
    place: tuple[str, str] = ("", "")
    required: tuple = ()  # skill ids, sorted
    nice: tuple = ()  # skill ids, sorted
    interests: frozenset = frozenset()
    related_interests: frozenset = frozenset()  # from CATEGORY_INTERESTS


class Match(NamedTuple):
    score: int
    recommended: bool
    reasons: dict


def place_relation(student_place, project_place) -> str:
    student_city, student_state = student_place
    project_city, project_state = project_place
    if not (student_city or student_state) or not (project_city or project_state):
        return "unknown"
    if student_city and student_city == project_city and student_state == project_state:
        return "same_city"
    if student_state and student_state == project_state:
        return "same_state"
    return "elsewhere"


def location_fit(student: StudentFacts, project: ProjectFacts) -> tuple[float, str]:
    if project.location_mode == REMOTE:
        return 1.0, REMOTE
    if project.location_mode not in OPEN_TO.get(student.location_preference, {REMOTE}):
        return 0.0, "not_open"
    relation = place_relation(student.place, project.place)
    return PLACE_SCORES[project.location_mode][relation], relation


def interest_fit(own: int, shared: int, related: int) -> float:
    """The interest component from counts: the project's own interests, those shared, related ones shared."""
    if not own:
        return 1.0 if related else 0.0
    if shared:
        return min(shared, 2) / min(own, 2)
    return 0.5 if related else 0.0


def score_pair(student: StudentFacts, project: ProjectFacts, weights: Weights) -> Match:
    """Score one pair and say why; see the module docstring for the rules."""
    held = student.skills
    met = [[skill, held[skill]] for skill in project.required if skill in held]
    missing = [skill for skill in project.required if skill not in held]
    levels = weights.levels
    required = sum(levels[level] for _, level in met) / len(project.required) if project.required else 1.0

    nice_met = [skill for skill in project.nice if skill in held]
    nice = len(nice_met) / len(project.nice) if project.nice else 1.0

    shared = sorted(student.interests & project.interests)
    related = sorted(student.interests & project.related_interests)
    interests = interest_fit(len(project.interests), len(shared), len(related))

    has_hours = student.hours_per_week >= project.hours_per_week
    hours = min(1.0, student.hours_per_week / project.hours_per_week)
    window_days = weights.start_window_days
    window, start = date_fit(student.windows, project.earliest_start, project.duration_weeks, window_days)
    if window is None:
        dates = 0.0
    elif window_days:
        dates = 1.0 - 0.5 * (start - project.earliest_start).days / window_days
    else:
        dates = 1.0
    availability = 0.5 * hours + 0.5 * dates

    location, place = location_fit(student, project)

    scale = weights.points
    total = (
        scale["required"] * required
        + scale["nice"] * nice
        + scale["interests"] * interests
        + scale["availability"] * availability
        + scale["location"] * location
    )
    score = min(100, max(0, math.floor(total + 0.5 + ROUNDING_NUDGE)))
    reasons = {
        "met": met,
        "missing": missing,
        "nice": nice_met,
        "interests": shared,
        "related": [] if shared else related,
        "hours": [student.hours_per_week, project.hours_per_week],
        "window": [window[0].isoformat(), window[1].isoformat()] if window else None,
        "start": start.isoformat() if start else None,
        "place": place,
    }
    return Match(score, has_hours and window is not None, reasons)

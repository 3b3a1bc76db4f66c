"""Scoring a set of students against a set of projects in blocks, and the cutoffs that keep each list its
top C2C_MATCH_TOP_N without rereading it. Worker processes keep the project pool between tasks."""

import gc
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from matching import engine
from matching.facts import load_projects, load_student_table, matchable_projects, matchable_students, vocabulary_ids
from matching.models import (
    ListCutoff,
)
from matching.scoring import Weights, score_pair

BLOCK_ROWS = 250  # students scored at once: small blocks keep the (250 x projects) arrays in the CPU cache


class TableFacts(Sequence):
    """StudentFacts built on demand from a StudentTable, optionally for a subset of its rows."""

    def __init__(self, table, rows=None):
        self.table = table
        self.rows = np.arange(len(table)) if rows is None else rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        return self.table.facts(int(self.rows[index]))

    def subset(self, positions) -> "TableFacts":
        return TableFacts(self.table, self.rows[positions])


@dataclass
class Pool:
    """Facts and their arrays for one side, loaded once and reused across blocks and chunks."""

    facts: list
    arrays: object

    def __len__(self):
        return len(self.facts)


@dataclass
class Context:
    weights: Weights = field(default_factory=Weights.from_settings)
    vocabulary: engine.Vocabulary = None
    _projects: Pool = None
    _students: Pool = None

    def __post_init__(self):
        if self.vocabulary is None:
            self.vocabulary = engine.Vocabulary(*vocabulary_ids())

    def students(self, queryset=None) -> Pool:
        if queryset is not None:
            table = load_student_table(queryset)
            return Pool(TableFacts(table), engine.table_arrays(table, self.vocabulary, self.weights))
        if self._students is None:
            self._students = self.students(matchable_students())
        return self._students

    def discoverable_students(self) -> Pool:
        """Only they can be on a project's list, so only they are scored for one."""
        students = self.students()
        mask = students.arrays.discoverable
        return Pool(students.facts.subset(np.flatnonzero(mask)), students.arrays.rows(mask))

    def projects(self, queryset=None) -> Pool:
        if queryset is not None:
            facts = load_projects(queryset)
            return Pool(facts, engine.project_arrays(facts, self.vocabulary, self.weights))
        if self._projects is None:
            self._projects = self.projects(matchable_projects())
        return self._projects


class _ProjectPoolCache:
    """The worker's copy of every matchable project, reused while nothing about them has changed.

    Projects change far less often than profiles, and reading all of them is most of a student's
    refresh. The version covers edits (updated_at), publishing and closing (the count), business
    decisions (their updated_at), the date (apply-by), and the skill and interest lists.
    """

    def __init__(self):
        self.key = None
        self.vocabulary = None
        self.pool = None

    def get(self, weights: Weights) -> tuple[engine.Vocabulary, Pool]:
        skills, interests = vocabulary_ids()
        version = matchable_projects().aggregate(
            count=Count("pk"), edited=Max("updated_at"), businesses=Max("business__updated_at")
        )
        key = (timezone.localdate(), tuple(version.values()), tuple(sorted(skills)), tuple(sorted(interests)), weights)
        if key != self.key:
            context = Context(weights=weights, vocabulary=engine.Vocabulary(skills, interests))
            self.key, self.vocabulary, self.pool = None, context.vocabulary, context.projects()
            self.key = key
        return self.vocabulary, self.pool


project_pool_cache = _ProjectPoolCache()


def worker_context() -> Context:
    """A context whose projects come from this process's cache (see `_ProjectPoolCache`)."""
    weights = Weights.from_settings()
    vocabulary, projects = project_pool_cache.get(weights)
    return Context(weights=weights, vocabulary=vocabulary, _projects=projects)


def blocks(students: Pool):
    for start in range(0, len(students), BLOCK_ROWS):
        rows = slice(start, start + BLOCK_ROWS)
        yield start, students.arrays.rows(rows)


def student_lists(students: Pool, projects: Pool, weights: Weights) -> dict[int, dict]:
    """Each student's top N projects: {profile id: {project id: Match}}."""
    lists = {}
    for offset, block in blocks(students):
        scores, recommended = engine.score_block(block, projects.arrays, weights)
        lists.update(block_lists(students, offset, scores, recommended, projects, weights))
    return lists


def block_lists(students: Pool, offset: int, scores, recommended, projects: Pool, weights: Weights) -> dict:
    """The top N of one scored block of students, from row `offset` of `students`."""
    keys = engine.student_side_keys(scores, recommended, projects.arrays)
    picked = engine.top_n(keys, settings.C2C_MATCH_TOP_N, axis=1)
    lists = {}
    with _collector_paused():
        for row, columns in enumerate(picked):
            student = students.facts[offset + row]
            lists[student.id] = {
                projects.facts[column].id: score_pair(student, projects.facts[column], weights)
                for column in columns
                if keys[row, column] >= 0
            }
    return lists


def project_lists(students: Pool, projects: Pool, weights: Weights) -> dict[int, dict]:
    """Each project's top N discoverable students: {project id: {profile id: Match}}."""
    top = settings.C2C_MATCH_TOP_N
    best_keys = np.full((0, len(projects)), -1, dtype=np.int64)
    best_rows = np.zeros((0, len(projects)), dtype=np.int64)
    for offset, block in blocks(students):
        scores, recommended = engine.score_block(block, projects.arrays, weights)
        keys = np.concatenate([best_keys, engine.project_side_keys(scores, recommended, block)])
        block_rows = np.broadcast_to(np.arange(offset, offset + len(block))[:, None], scores.shape)
        rows = np.concatenate([best_rows, block_rows])
        picked = engine.top_n(keys, top, axis=0)
        best_keys = np.take_along_axis(keys, picked, axis=0)
        best_rows = np.take_along_axis(rows, picked, axis=0)
    lists = {}
    chosen = {}  # the same students top many projects' lists: build their facts once
    with _collector_paused():
        for column, project in enumerate(projects.facts):
            matches = lists[project.id] = {}
            for row, key in zip(best_rows[:, column].tolist(), best_keys[:, column].tolist(), strict=True):
                if key >= 0:
                    student = chosen.get(row) or chosen.setdefault(row, students.facts[row])
                    matches[student.id] = score_pair(student, project, weights)
    return lists


@contextmanager
def _collector_paused():
    """Reasons are many small acyclic dicts: cycle collection would only rescan the loaded pools again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cutoff(matches: dict) -> int:
    """A full list's lowest score (a newcomer must reach it); 0 while the list has room."""
    if len(matches) < settings.C2C_MATCH_TOP_N:
        return 0
    return min(match.score for match in matches.values())


def cutoffs_of(side: str, owner_ids) -> np.ndarray:
    """The stored cutoff of each owner's list, in `owner_ids` order; 0 for lists never computed."""
    known = dict(ListCutoff.objects.filter(side=side).values_list("owner_id", "score"))
    return np.array([known.get(owner, 0) for owner in owner_ids.tolist()], dtype=np.int64)


def save_cutoffs(side: str, lists: dict) -> None:
    ListCutoff.objects.bulk_create(
        [ListCutoff(side=side, owner_id=owner, score=cutoff(matches)) for owner, matches in lists.items()],
        update_conflicts=True,
        unique_fields=["side", "owner_id"],
        update_fields=["score"],
    )

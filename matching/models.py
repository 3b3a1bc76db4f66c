from django.conf import settings
from django.db import models

from matching.enums import RebuildSide
from projects.models import Project
from students.models import StudentProfile


class ReasonsField(models.JSONField):
    """JSON kept as written (Postgres `json`, not `jsonb`): reasons are written by the million and only read whole.

    Skipping jsonb's parse-and-rebuild on every row makes a full rebuild's writes about a third cheaper.
    """

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        # psycopg decodes `json` itself (Django only asks it not to for `jsonb`).
        if isinstance(value, str):
            return super().from_db_value(value, expression, connection)
        return value


class StoredMatch(models.Model):
    """A scored (student, project) pair kept because it is near the top of someone's list.

    `reasons` is what `matching.scoring.score_pair` said when it produced `score`; pages describe
    the match from it, never from the profile as it is now, so the words always fit the number.

    These rows are derived data, rewritten by the million in a rebuild, so their foreign keys have no
    database constraint: checking each row halves the write speed. Django still deletes them with
    their student or project, reads join to both (so a stray row never shows), and every rebuild
    rewrites whole id ranges, which clears strays.
    """

    score = models.PositiveSmallIntegerField()
    reasons = ReasonsField()
    computed_at = models.DateTimeField()

    class Meta:
        abstract = True


class RecommendedProject(StoredMatch):
    """One of a student's best-matching published projects (their top C2C_MATCH_TOP_N, at least)."""

    student = models.ForeignKey(
        StudentProfile, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", db_constraint=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "project"], name="recommended_project_once")]

    def __str__(self):
        return f"{self.project_id} for student {self.student_id}: {self.score}"


class RecommendedStudent(StoredMatch):
    """One of a project's best-matching discoverable students (its top C2C_MATCH_TOP_N, at least)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="+", db_constraint=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "student"], name="recommended_student_once")]

    def __str__(self):
        return f"Student {self.student_id} for {self.project_id}: {self.score}"


class ListCutoff(models.Model):
    """The lowest score on a full list when it was last computed: a newcomer must reach it to join.

    Lets one project's recomputation add itself to 20,000 students' lists without reading them.
    """

    side = models.CharField(max_length=8, choices=RebuildSide.choices)
    owner_id = models.BigIntegerField(help_text="The StudentProfile (student side) or Project (project side).")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["side", "owner_id"], name="one_cutoff_per_list")]

    def __str__(self):
        return f"{self.side} {self.owner_id}: {self.score}"


class PendingRefresh(models.Model):
    """A student's or a project's matches must be recomputed: written in the edit's transaction.

    Postgres, not the broker, holds the request: the refresh that covers the latest edit deletes the
    row, and beat's sweep enqueues any row left behind (the broker was down when the edit was saved,
    or lost the message). `enqueued_at` is set while a task for it waits, so a burst of edits queues one.
    """

    side = models.CharField(max_length=8, choices=RebuildSide.choices)
    owner_id = models.BigIntegerField(help_text="The StudentProfile (student side) or Project (project side).")
    requested_at = models.DateTimeField(help_text="The latest edit that needs it.")
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="When a task for it was queued.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["side", "owner_id"], name="one_pending_refresh")]
        indexes = [models.Index(fields=["requested_at"], name="pending_refresh_age_idx")]

    def __str__(self):
        return f"{self.side} {self.owner_id} since {self.requested_at:%Y-%m-%d %H:%M:%S}"


class StrongMatchNotice(models.Model):
    """A student was told about a strong match with this project: never again for the same pair."""

    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="+", db_index=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "project"], name="strong_match_noticed_once")]

    def __str__(self):
        return f"Student {self.student_id} told of {self.project_id}"


class Invitation(models.Model):
    """A business asked a recommended student to apply to its project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["project", "student"], name="invite_student_once")]

    def __str__(self):
        return f"{self.student} invited to {self.project}"


class Rebuild(models.Model):
    """One full recomputation, split into chunks so it can fan out to workers and resume after a crash."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    chunk_size = models.PositiveIntegerField()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Rebuild {self.pk} ({'finished' if self.finished_at else 'unfinished'})"


class RebuildChunk(models.Model):
    """A range of students (or projects) whose lists one task recomputes; done once `done_at` is set."""

    rebuild = models.ForeignKey(Rebuild, on_delete=models.CASCADE, related_name="chunks")
    side = models.CharField(max_length=8, choices=RebuildSide.choices)
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    size = models.PositiveIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rebuild", "side", "first_id"]
        indexes = [models.Index(fields=["rebuild", "done_at"])]

    def __str__(self):
        return f"{self.side} {self.first_id}-{self.last_id}"

"""The three status-change tables move into the activity log with nothing lost."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("activity", "0001_initial"),
    ("businesses", "0001_initial"),
    ("projects", "0004_application_proposed_start"),
]
AFTER = [("activity", "0002_from_status_change_tables")]
AT = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old():
    """The schema before the move; the latest one again afterwards, even when the test fails."""
    yield migrate(BEFORE)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_every_recorded_change_is_copied_with_its_actor_states_reason_and_time(old):
    Business = old.get_model("businesses", "Business")
    Project = old.get_model("projects", "Project")
    Application = old.get_model("projects", "Application")
    # The accounts table is at its latest schema (not part of this move): today's model writes it.
    staff = User.objects.create(email="staff@example.org", is_staff=True)
    student = User.objects.create(email="ana@example.org")
    business = Business.objects.create(name="Food Bank", website_domain="foodbank.example")
    project = Project.objects.create(
        business=business,
        title="Instagram month",
        fee=300,
        duration_weeks=2,
        hours_per_week=5,
        earliest_start="2026-06-01",
        apply_by="2026-05-20",
    )
    application = Application.objects.create(project=project, student_id=student.pk, status_changed_at=AT)
    changes = [
        old.get_model("businesses", "BusinessStatusChange").objects.create(
            business=business, actor_id=staff.pk, from_status="pending", to_status="approved", reason="Checked"
        ),
        old.get_model("projects", "ProjectStatusChange").objects.create(
            project=project, actor=None, from_status="published", to_status="closed", reason="Apply-by passed"
        ),
        old.get_model("projects", "ApplicationStatusChange").objects.create(
            application=application, actor_id=student.pk, from_status="", to_status="submitted"
        ),
    ]
    for change in changes:
        type(change).objects.filter(pk=change.pk).update(created_at=AT)

    new = migrate(AFTER)

    rows = new.get_model("activity", "ActivityLog").objects.order_by("pk")
    copied = [
        (row.target_type.model, row.target_id, row.actor_id, row.verb, row.from_state, row.to_state, row.reason)
        for row in rows
    ]
    assert copied == [
        ("business", business.pk, staff.pk, "status_changed", "pending", "approved", "Checked"),
        ("project", project.pk, None, "status_changed", "published", "closed", "Apply-by passed"),
        ("application", application.pk, student.pk, "status_changed", "", "submitted", ""),
    ]
    assert {row.created_at for row in rows} == {AT}

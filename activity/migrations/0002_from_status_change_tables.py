"""Copy the three status-change tables (businesses, projects, applications) into the one activity log."""

from django.db import migrations

SOURCES = [
    ("businesses", "BusinessStatusChange", "business", "business"),
    ("projects", "ProjectStatusChange", "project", "project"),
    ("projects", "ApplicationStatusChange", "application", "application"),
]


def copy_forward(apps, schema_editor):
    ActivityLog = apps.get_model("activity", "ActivityLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, model_name, target_model, target_field in SOURCES:
        Change = apps.get_model(app_label, model_name)
        target_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=target_model)
        rows = (
            ActivityLog(
                actor_id=change.actor_id,
                verb="status_changed",
                target_type=target_type,
                target_id=getattr(change, f"{target_field}_id"),
                from_state=change.from_status,
                to_state=change.to_status,
                reason=change.reason,
                created_at=change.created_at,
            )
            for change in Change.objects.order_by("pk").iterator(chunk_size=2000)
        )
        ActivityLog.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0001_initial"),
        ("businesses", "0001_initial"),
        ("projects", "0004_application_proposed_start"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Going back leaves the log as it is: the old tables come back empty.
    operations = [migrations.RunPython(copy_forward, migrations.RunPython.noop)]

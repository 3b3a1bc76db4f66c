from django.db import migrations


def load(apps, schema_editor):
    from projects.catalogue import load_catalogue

    load_catalogue(apps.get_model("projects", "Skill"), apps.get_model("projects", "Interest"),
                   apps.get_model("projects", "ProjectTemplate"))


def create_search_index(apps, schema_editor):
    # GIN indexes exist only on Postgres; on SQLite search falls back to LIKE.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS project_search_vector_gin ON projects_project USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]

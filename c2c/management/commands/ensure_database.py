from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it does not exist yet (no-op on SQLite)."
    requires_system_checks = []

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(f"Database backend is {connection.vendor}: nothing to create.")
            return
        import psycopg
        from psycopg import sql

        params = connection.get_connection_params()
        name = connection.settings_dict["NAME"]
        params.update(dbname="postgres", autocommit=True)
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params) as admin_connection:
            exists = admin_connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists:
                self.stdout.write(f"Database {name} exists.")
                return
            admin_connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.stdout.write(self.style.SUCCESS(f"Created database {name}."))

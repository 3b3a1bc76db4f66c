"""Benchmarks that write lots of data keep to a database of their own, next to the one DATABASE_URL names."""

import os
import sys


def use_own_database(suffix: str, script: str) -> str:
    """Point DATABASE_URL at `<name>_<suffix>` before Django reads its settings; return that name."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit(f"{script} needs DATABASE_URL to name a PostgreSQL database.")
    base, _, query = url.partition("?")
    server, _, name = base.rpartition("/")
    if not name:
        sys.exit(f"DATABASE_URL names no database: {url}")
    own = name if name.endswith(f"_{suffix}") else f"{name}_{suffix}"
    os.environ["DATABASE_URL"] = f"{server}/{own}" + (f"?{query}" if query else "")
    return own

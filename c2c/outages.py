"""Telling "the database is unreachable" apart from errors in what we asked it."""

from django.db import InterfaceError, OperationalError

# SQLSTATE classes meaning the connection, not the statement, failed: connection exceptions (08),
# and the server shutting down, crashed or starting up (57P01-57P03).
_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")


def is_database_outage(error: BaseException) -> bool:
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    # A deadlock or a statement timeout is an OperationalError too, with its own SQLSTATE: a bug to hear about.
    state = getattr(error.__cause__, "sqlstate", None)
    return state is None or state.startswith(_CONNECTION_STATES)

"""Helpers shared by several test modules: signed-in browsers, recorded history, per-example isolation."""

from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.test import Client

from activity.enums import Verb
from activity.models import ActivityLog
from tests.factories import sign_in


def signed_in_client(user, **client_options) -> Client:
    """A browser with `user` signed in (client_options as for django.test.Client, e.g. enforce_csrf_checks).

    Someone with an authenticator app (every staff member) also counts as having given its code.
    """
    return sign_in(Client(**client_options), user)


def status_changes(target) -> list[tuple]:
    """(actor, from state, to state, reason) of each recorded state move of `target`, oldest first."""
    entries = ActivityLog.objects.filter(target_id=target.pk, verb=Verb.STATUS_CHANGED)
    return [
        (entry.actor, entry.from_state, entry.to_state, entry.reason)
        for entry in entries
        if entry.target_type.model_class() is type(target)
    ]


@contextmanager
def isolated_example():
    """Run one Hypothesis example so that the next starts from the same state.

    Hypothesis runs every example of a test inside the one `db` transaction, so each example gets its own
    savepoint, rolled back at the end, and an empty cache (rate limits, cached sessions and pages).
    """
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()

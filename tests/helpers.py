"""Helpers shared by several test modules: signed-in browsers, recorded history, per-example isolation, and
the forms a person posts (partner registration, profile steps)."""

from contextlib import contextmanager
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activity.enums import Verb
from activity.models import ActivityLog
from tests.factories import PASSWORD, sign_in


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


def registration_data(**overrides):
    data = {
        "email": "owner@bakery.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "name": "Sunrise  Bakery",
        "org_type": "small_business",
        "industry": "food",
        "size": "2-9",
        "website": "www.sunrise-bakery.example",
        "city": "Toledo",
        "state": "OH",
        "ein": "12-3456789",
        "contact_name": "Rosa Diaz",
        "contact_title": "Owner",
        "contact_email": "rosa@sunrise-bakery.example",
        "contact_phone": "(555) 123-4567",
        "heard_about": "college",
        "project_ideas": "Instagram content, a simple bookkeeping clean-up.",
        "agreed_to_pay_students": "on",
        "agreed_to_terms": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def step_url(step):
    return f"{reverse('students:onboarding')}?step={step}"


def school_data(**overrides):
    data = {
        "school": "Sinclair Community College",
        "school_type": "community_college",
        "programme": "Accounting",
        "graduation_year": str(timezone.localdate().year + 1),
        "bio": "I work weekends at a grocery store.",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


def availability_data(windows=None, **overrides):
    today = timezone.localdate()
    windows = [(today, today + timedelta(days=90))] if windows is None else windows
    data = {
        "hours_per_week": "12",
        "location_preference": "hybrid",
        "city": "Dayton",
        "state": "OH",
        "windows-TOTAL_FORMS": str(len(windows)),
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "12",
    }
    for index, (starts_on, ends_on) in enumerate(windows):
        data[f"windows-{index}-starts_on"] = str(starts_on)
        data[f"windows-{index}-ends_on"] = str(ends_on)
    return data | overrides

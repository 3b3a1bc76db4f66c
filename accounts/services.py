"""Writes for accounts: staff suspending and reinstating a person."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from activity.enums import Verb
from activity.services import record


def suspend_user(*, actor: User, user: User, reason: str) -> User:
    """Stop a student or business member from signing in; they keep their data and can be reinstated.

    Django's ModelBackend refuses inactive users, so any open session ends at its next request.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for the suspension: it is kept with the account.")
    if user.is_staff:
        raise ValidationError("Staff accounts can't be suspended here; remove their staff status first.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.suspended_at is not None:
            raise ValidationError(f"{user} is already suspended.")
        user.is_active = False
        user.suspended_at = timezone.now()
        user.suspension_reason = reason
        user.save(update_fields=["is_active", "suspended_at", "suspension_reason"])
        record(actor=actor, verb=Verb.SUSPENDED, target=user, reason=reason)
    return user


def reinstate_user(*, actor: User, user: User, reason: str = "") -> User:
    """Let a suspended person sign in again; the suspension and this reinstatement stay in the account's history."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.suspended_at is None:
            raise ValidationError(f"{user} isn't suspended.")
        user.is_active = True
        user.suspended_at = None
        user.suspension_reason = ""
        user.save(update_fields=["is_active", "suspended_at", "suspension_reason"])
        record(actor=actor, verb=Verb.REINSTATED, target=user, reason=(reason or "").strip())
    return user

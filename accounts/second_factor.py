"""Whether a person has a second factor (an authenticator app), and whether this session has used it.

Staff must have both (see accounts.middleware); for everyone else it is a choice on their account page.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator

SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP]
MFA_METHOD = "mfa"


def is_enrolled(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()


def session_passed(request) -> bool:
    """True once this session has given a code from the app or a recovery code (allauth records each step)."""
    return any(record.get("method") == MFA_METHOD for record in get_authentication_records(request, request.user))


def record_second_factor(request, authenticator: Authenticator) -> None:
    """Note in the session that it has passed `authenticator`, as allauth does when it accepts a code."""
    # allauth records its own sign-in steps with this function; it has no public wrapper yet.
    record_authentication(request, authenticator.user, MFA_METHOD, id=authenticator.pk, type=authenticator.type)


def drop_orphaned_recovery_codes(user_id) -> None:
    """Recovery codes back up an app: with no app left they go too (allauth does this when someone turns it off),
    so the codes of a lost phone stop working and setting up a new app brings new ones."""
    authenticators = Authenticator.objects.filter(user_id=user_id)
    if not authenticators.exclude(type=Authenticator.Type.RECOVERY_CODES).exists():
        authenticators.delete()

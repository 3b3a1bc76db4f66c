"""Signed one-click unsubscribe tokens: who, and which emails, without needing a login."""

from dataclasses import dataclass

from django.core import signing

from notifications.enums import DIGEST_FREQUENCIES, Kind

SALT = "notifications.unsubscribe"
# Every email a user can turn off; what an email they can't turn off (account security) unsubscribes from.
ALL_KINDS = "all"


@dataclass(frozen=True)
class UnsubscribeScope:
    """One kind's emails (or ALL_KINDS), or a whole digest: every kind the user gets in it at the time."""

    user_id: int
    kind: str = ""
    digest: str = ""


def make_unsubscribe_token(*, user_id: int, kind: str = "", digest: str = "") -> str:
    payload = {"u": user_id, "d": digest} if digest else {"u": user_id, "k": kind}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> UnsubscribeScope:
    """Raise signing.BadSignature for a tampered, truncated or nonsensical token."""
    payload = signing.loads(token, salt=SALT)
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise signing.BadSignature("Unsubscribe token without a user.")
    if payload.get("k") in (*Kind.values, ALL_KINDS):
        return UnsubscribeScope(user_id=payload["u"], kind=payload["k"])
    if payload.get("d") in DIGEST_FREQUENCIES:
        return UnsubscribeScope(user_id=payload["u"], digest=payload["d"])
    raise signing.BadSignature("Unsubscribe token for an unknown kind of email.")

from dataclasses import dataclass

from django.core import signing
from django.shortcuts import get_object_or_404

from accounts.enums import Role
from accounts.models import User
from notifications.enums import (
    BUSINESS_KINDS,
    DIGEST_FREQUENCIES,
    FIXED_EMAIL_KINDS,
    STAFF_KINDS,
    STUDENT_KINDS,
    Channel,
    Frequency,
    Kind,
    default_frequency,
    is_fixed,
)
from notifications.models import Notification, NotificationPreference
from notifications.tokens import ALL_KINDS, UnsubscribeScope, read_unsubscribe_token


def notifications_for(user: User):
    """The user's inbox: only items already shown, never those waiting for a digest or turned off."""
    return Notification.objects.filter(recipient=user, shown_at__isnull=False).order_by("-shown_at", "-pk")


def notification_for(user: User, pk: int) -> Notification:
    return get_object_or_404(notifications_for(user), pk=pk)


def unread_count(user: User) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def _effective(kind: str, channel, chosen) -> str:
    if is_fixed(kind, channel):
        return FIXED_EMAIL_KINDS[kind]
    return chosen or default_frequency(kind, channel)


def frequencies_of(user: User, kind: str) -> tuple[str, str]:
    """(email, in-app) frequency for one kind: the user's choice, else the default. One query."""
    chosen = dict(NotificationPreference.objects.filter(user=user, kind=kind).values_list("channel", "frequency"))
    return (
        _effective(kind, Channel.EMAIL, chosen.get(Channel.EMAIL)),
        _effective(kind, Channel.IN_APP, chosen.get(Channel.IN_APP)),
    )


def frequencies_for(user: User) -> dict[tuple[str, str], str]:
    """Every (kind, channel) → frequency for the user, defaults filled in. One query."""
    chosen = {
        (kind, channel): frequency
        for kind, channel, frequency in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "channel", "frequency"
        )
    }
    return {
        (kind, channel): _effective(kind, channel, chosen.get((kind, channel)))
        for kind in Kind.values
        for channel in Channel.values
    }


def kinds_for(user: User) -> list[str]:
    """The kinds a user can receive given their role(s), account matters last."""
    kinds = []
    if user.is_student:
        kinds += STUDENT_KINDS
    if user.is_business_member:
        kinds += BUSINESS_KINDS
    if user.is_staff or user.role == Role.STAFF:
        kinds += STAFF_KINDS
    unique = list(dict.fromkeys([*kinds, Kind.ACCOUNT]))
    return sorted(unique, key=lambda kind: kind == Kind.ACCOUNT)


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str
    email: str
    in_app: str
    email_fixed: bool


def preference_rows(user: User) -> list[PreferenceRow]:
    frequencies = frequencies_for(user)
    return [
        PreferenceRow(
            kind=kind,
            label=Kind(kind).label,
            email=frequencies[(kind, Channel.EMAIL)],
            in_app=frequencies[(kind, Channel.IN_APP)],
            email_fixed=is_fixed(kind, Channel.EMAIL),
        )
        for kind in kinds_for(user)
    ]


def unsubscribe_request(token: str):
    """The user and scope a signed link stands for; signing.BadSignature if it is tampered or stale."""
    scope = read_unsubscribe_token(token)
    user = User.objects.filter(pk=scope.user_id).first()
    if user is None:
        raise signing.BadSignature("The account behind this link no longer exists.")
    return user, scope


def kinds_to_unsubscribe(user: User, scope: UnsubscribeScope) -> list[str]:
    """Which kinds' emails a link turns off: its kind, or (for a digest or ALL_KINDS) every kind
    on the user's preferences page that is currently in that digest or not yet off."""
    if scope.kind in FIXED_EMAIL_KINDS:
        return []
    if scope.kind and scope.kind != ALL_KINDS:
        return [scope.kind]
    frequencies = frequencies_for(user)
    wanted = (scope.digest,) if scope.digest else (Frequency.IMMEDIATE, *DIGEST_FREQUENCIES)
    return [
        kind
        for kind in kinds_for(user)
        if not is_fixed(kind, Channel.EMAIL) and frequencies[(kind, Channel.EMAIL)] in wanted
    ]

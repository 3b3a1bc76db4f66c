"""Nothing logged while people sign up, log in, reset a password and use two-factor reveals a secret."""

import logging
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests.factories import totp_code

pytestmark = pytest.mark.django_db

FIRST_PASSWORD = "Lantern-quarry-7-orbit"
WRONG_PASSWORD = "Lantern-quarry-7-orbiT"
SECOND_PASSWORD = "Meadow-signal-42-copper"
EMAIL = "ana@example.org"


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def logged():
    """Every record from every logger, at DEBUG level, for the length of the test."""
    handler = Everything()
    root = logging.getLogger()
    loggers = [root] + [item for item in logging.Logger.manager.loggerDict.values() if isinstance(item, logging.Logger)]
    saved = [(logger, logger.level, logger.propagate, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if logger is not root:
            logger.propagate = True
    root.addHandler(handler)
    yield handler.records
    root.removeHandler(handler)
    for logger, level, propagate, disabled in saved:
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


def everything_in(records) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    parts = []
    for record in records:
        parts.append(formatter.format(record))
        parts.append(repr(record.args))
        parts.append(repr({key: value for key, value in vars(record).items() if key not in {"args", "msg"}}))
    return "\n".join(parts)


def link_in(message, pattern) -> str:
    return re.search(rf"https://c2c\.test({pattern})", message.body).group(1)


def test_no_password_token_or_code_reaches_the_logs(client, logged):
    secrets = {"first password": FIRST_PASSWORD, "wrong password": WRONG_PASSWORD, "new password": SECOND_PASSWORD}

    with time_machine.travel(datetime(2026, 12, 3, 15, 0, 7, tzinfo=UTC), tick=False) as clock:
        client.post(
            reverse("account_signup"),
            {
                "full_name": "Ana Lopez",
                "email": EMAIL,
                "role": "student",
                "password1": FIRST_PASSWORD,
                "password2": FIRST_PASSWORD,
            },
        )
        confirm = link_in(mail.outbox[-1], r"/accounts/confirm-email/[^\s/]+/")
        secrets["confirmation key"] = confirm.rstrip("/").rsplit("/", 1)[-1]
        client.post(confirm)
        secrets["session key"] = client.session.session_key
        client.post(reverse("account_logout"))

        client.post(reverse("account_login"), {"login": EMAIL, "password": WRONG_PASSWORD})
        client.post(reverse("account_login"), {"login": EMAIL, "password": FIRST_PASSWORD})
        client.post(reverse("account_logout"))

        client.post(reverse("account_reset_password"), {"email": EMAIL})
        reset = link_in(mail.outbox[-1], r"/accounts/password/reset/key/[^\s/]+/")
        secrets["reset key"] = reset.rstrip("/").rsplit("/", 1)[-1]
        form_page = client.get(reset, follow=True)
        client.post(form_page.redirect_chain[-1][0], {"password1": SECOND_PASSWORD, "password2": SECOND_PASSWORD})
        client.post(reverse("account_login"), {"login": EMAIL, "password": SECOND_PASSWORD})

        client.post(reverse("account_reauthenticate"), {"password": SECOND_PASSWORD})
        secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
        secrets["authenticator secret"] = secret
        secrets["enrolment code"] = totp_code(secret)
        client.post(reverse("mfa_activate_totp"), {"code": secrets["enrolment code"]})
        recovery_codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
        secrets |= {f"recovery code {number}": code for number, code in enumerate(recovery_codes)}
        client.post(reverse("account_logout"))

        clock.shift(60)
        client.post(reverse("account_login"), {"login": EMAIL, "password": SECOND_PASSWORD})
        secrets["wrong code"] = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
        client.post(reverse("mfa_authenticate"), {"code": secrets["wrong code"]})
        secrets["sign-in code"] = totp_code(secret)
        client.post(reverse("mfa_authenticate"), {"code": secrets["sign-in code"]})
        assert "_auth_user_id" in client.session
        secrets["second session key"] = client.session.session_key

    assert len(mail.outbox) == 2  # The confirmation and the reset link.
    assert logged, "nothing was captured: the capture itself is broken"
    leaks = sorted(
        {
            (name, record.name)
            for record in logged
            for name, value in secrets.items()
            if value in everything_in([record])
        }
    )
    assert not leaks, f"found in the logs (secret, logger): {leaks}"

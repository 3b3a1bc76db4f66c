"""The id of the request (or task) being handled, for logs; it travels with the tasks a request enqueues."""

import re
import uuid
from contextvars import ContextVar

current: ContextVar[str] = ContextVar("request_id", default="")

# What a proxy may pass in X-Request-ID; anything else is replaced, so logs never carry arbitrary text.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def new() -> str:
    return uuid.uuid4().hex


def accept(incoming: str | None) -> str:
    return incoming if incoming and _ACCEPTABLE.match(incoming) else new()

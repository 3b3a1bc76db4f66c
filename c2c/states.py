"""How templates read an object's state without spelling its stored value: `project.status_is.published`.

A name the state's enum doesn't have raises instead of quietly reading as false, so a typo in a template
fails its page's tests rather than hiding a block. Badge colours come from the enum's module too
(`status_tone`), so no template compares a status string.
"""

from django.db import models


class UnknownState(Exception):
    """Not an AttributeError on purpose: Django's templates would turn that into a silent empty value."""


class StateFlags:
    def __init__(self, states: type[models.TextChoices], value: str):
        self._states = states
        self._value = value

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._states.values:
            raise UnknownState(f"{self._states.__name__} has no state {name!r}")
        return self._value == name

    def __repr__(self):
        return f"<{self._states.__name__} {self._value}>"


class HasState:
    """For a model whose `status` field takes its choices from `STATES`: `.status_is` flags for templates, and
    `.status_tone`, the Bootstrap colour of its badge from `STATUS_TONES` (secondary when unlisted)."""

    STATES: type[models.TextChoices]
    STATUS_TONES: dict[str, str] = {}

    @property
    def status_is(self) -> StateFlags:
        return StateFlags(self.STATES, self.status)

    @property
    def status_tone(self) -> str:
        return self.STATUS_TONES.get(self.status, "secondary")

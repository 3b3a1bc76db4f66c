from django import forms

from notifications.enums import Channel, Frequency


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    """Two selects per kind the user can receive (email, in-app); fixed choices get no field."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if not row.email_fixed:
                self.fields[field_name(row.kind, Channel.EMAIL)] = self._select(row.label, "Email", row.email)
            self.fields[field_name(row.kind, Channel.IN_APP)] = self._select(row.label, "In the app", row.in_app)

    def _select(self, label, channel_label, initial):
        return forms.ChoiceField(
            label=f"{channel_label}: {label}",
            choices=Frequency.choices,
            initial=initial,
            widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        )

    def table(self):
        """(row, email field or None, in-app field) per kind: the template shows one fieldset each."""
        for row in self.rows:
            email = None if row.email_fixed else self._bound(row.kind, Channel.EMAIL)
            yield row, email, self._bound(row.kind, Channel.IN_APP)

    def _bound(self, kind, channel):
        bound = self[field_name(kind, channel)]
        if bound.errors:
            bound.field.widget.attrs.update(
                {"class": "form-select form-select-sm is-invalid", "aria-describedby": f"{bound.auto_id}_error"}
            )
        return bound

    def frequencies(self) -> dict[tuple[str, str], str]:
        return {tuple(name.split("__")): value for name, value in self.cleaned_data.items()}

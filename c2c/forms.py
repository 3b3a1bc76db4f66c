from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


class FocusFirstError:
    """Form mixin: when validation fails, the first field with an error, in the order the page shows the fields,
    gets `autofocus`, so keyboard and screen-reader users start there.

    static/js/site.js does the same for errors added after validation and for groups of options (autofocus
    belongs on one element, not on every checkbox of a group).
    """

    def full_clean(self):
        super().full_clean()
        if not self._errors:
            return
        layout = getattr(getattr(self, "helper", None), "layout", None)
        shown = [pointer.name for pointer in layout.get_field_names()] if layout else []
        for name in [*shown, *self.fields]:
            if name in self._errors and name in self.fields:
                widget = self.fields[name].widget
                if not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    widget.attrs["autofocus"] = True
                return


class WebAddressInput(forms.TextInput):
    """A web address typed the way people type it ("mybakery.com"), for a URLField with assume_scheme="https".

    The server accepts a bare domain and stores it with https://; type="url" would make the browser refuse it
    first, so the browser gets a text box with the URL keyboard instead and the server's checks are the only ones.
    """

    def __init__(self, attrs=None):
        defaults = {"inputmode": "url", "autocomplete": "url", "spellcheck": "false", "autocapitalize": "none"}
        super().__init__(defaults | (attrs or {}))


def flash_refusal(request, error: Exception) -> None:
    """Tell the person on their next page why a service refused: each message of a ValidationError, or the
    text of a PermissionDenied."""
    for text in error.messages if isinstance(error, ValidationError) else [str(error)]:
        messages.error(request, text)


def attach_service_errors(form, error: ValidationError):
    """Show a service's ValidationError on the form: beside the field it names, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in named groups, one fieldset each, for choices given as [(group, [(value, label), …]), …].

    A plain click picks an option, with or without JavaScript; static/js/site.js adds a filter box. Render
    the field with templates/forms/picker.html, a fieldset whose legend is the field's label.
    """

    template_name = "c2c/widgets/grouped_checkboxes.html"


def grouped_choices(rows) -> list:
    """[(group, [(value, label), …]), …] from (value, label, group) rows sorted by group; no group is "Other"."""
    groups: dict[str, list] = {}
    for value, label, group in rows:
        groups.setdefault(group or "Other", []).append((value, label))
    return list(groups.items())

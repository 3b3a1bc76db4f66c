from django import forms
from django.core.exceptions import ValidationError


class WebAddressInput(forms.TextInput):
    """A web address typed the way people type it ("mybakery.com"), for a URLField with assume_scheme="https".

    The server accepts a bare domain and stores it with https://; type="url" would make the browser refuse it
    first, so the browser gets a text box with the URL keyboard instead and the server's checks are the only ones.
    """

    def __init__(self, attrs=None):
        defaults = {"inputmode": "url", "autocomplete": "url", "spellcheck": "false", "autocapitalize": "none"}
        super().__init__(defaults | (attrs or {}))


def attach_service_errors(form, error: ValidationError):
    """Show a service's ValidationError on the form: beside the field it names, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)

from django.core.exceptions import ValidationError


def attach_service_errors(form, error: ValidationError):
    """Show a service's ValidationError on the form: beside the field it names, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)

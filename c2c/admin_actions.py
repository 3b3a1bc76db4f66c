"""Admin actions that ask staff for a reason before calling a service."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        required=False,
        help_text="The organisation sees this. Say what to change, or why.",
    )


def reason_action(*, description: str, verb: str, apply, reason_required: bool, help_text: str = ""):
    """Build an admin action that shows a reason form, then calls `apply(obj, actor, reason)` for each object."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if help_text:
            form.fields["reason"].help_text = help_text
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            if reason_required and not reason:
                form.add_error("reason", f"A reason is required. {form.fields['reason'].help_text}")
            else:
                done, failures = 0, []
                for obj in queryset:
                    try:
                        apply(obj, request.user, reason)
                        done += 1
                    except ValidationError as error:
                        failures.append(f"{obj}: {' '.join(error.messages)}")
                if done:
                    modeladmin.message_user(request, f"{verb} {done} item(s).", messages.SUCCESS)
                for failure in failures:
                    modeladmin.message_user(request, failure, messages.ERROR)
                return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description,
            "objects": queryset,
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
            "reason_required": reason_required,
        }
        return TemplateResponse(request, "admin/reason_action.html", context)

    action.__name__ = f"action_{verb.lower().replace(' ', '_')}"
    return action


# Many-to-many fields as plain checkboxes: Django's filter_horizontal widget builds controls with ARIA
# attributes their elements may not have, and needs JavaScript.
CHECKBOXES_FOR_MANY_TO_MANY = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

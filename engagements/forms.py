from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from c2c.forms import FocusFirstError, WebAddressInput
from engagements.models import DeliverableSubmission, Feedback, Message


class SubmissionForm(FocusFirstError, forms.Form):
    link = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=DeliverableSubmission._meta.get_field("link").max_length,
        widget=WebAddressInput(),
        help_text="A shared document, folder, site or repository the business can open.",
    )
    file = forms.FileField(
        required=False,
        help_text=f"Up to {filesizeformat(settings.C2C_SUBMISSION_FILE_MAX_BYTES)}. Only you and the business can "
        "download it.",
    )
    note = forms.CharField(
        label="Note for the business (optional)",
        required=False,
        max_length=DeliverableSubmission._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("submit", "Hand in"))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        max_bytes = settings.C2C_SUBMISSION_FILE_MAX_BYTES
        if upload and upload.size > max_bytes:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; the limit is {filesizeformat(max_bytes)}. "
                "Share a link to it instead (for example Google Drive or Dropbox)."
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("link") and not cleaned.get("file"):
            raise forms.ValidationError("Add a link or a file (or both).")
        return cleaned


class ReviewForm(FocusFirstError, forms.Form):
    ACCEPT, CHANGES = "accept", "changes"

    # Sent by the button the business presses; the template renders the two buttons instead of this field.
    decision = forms.ChoiceField(choices=[(ACCEPT, "Accept"), (CHANGES, "Ask for changes")])
    note = forms.CharField(
        label="Note for the student",
        required=False,
        max_length=DeliverableSubmission._meta.get_field("review_note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you ask for changes: say what to change.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.CHANGES and not cleaned.get("note", "").strip():
            self.add_error("note", "Say what needs to change so the student can fix it.")
        return cleaned

    @property
    def accepts(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT


class MessageForm(FocusFirstError, forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=Message._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("send", "Send message"))


class FeedbackForm(FocusFirstError, forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=[(5, "5 — excellent"), (4, "4 — good"), (3, "3 — okay"), (2, "2 — poor"), (1, "1 — very poor")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="How did it go?",
        max_length=Feedback._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_reference = forms.BooleanField(
        label="Offer this as a reference for the student",
        required=False,
        help_text="It is shown on the student's portfolio.",
    )

    def __init__(self, *args, with_reference=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_reference:
            del self.fields["is_reference"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("save", "Send feedback"))

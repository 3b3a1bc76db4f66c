from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from c2c.forms import FocusFirstError, WebAddressInput
from engagements.models import DeliverableSubmission, Feedback, Message
from engagements.rules import hand_in_file_problem


class HandInForm(FocusFirstError, forms.Form):
    """One section per deliverable still open, each with a link, a file and a note; the filled ones are handed in."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.deliverable.pk
            self.fields[f"link_{pk}"] = forms.URLField(
                label="Link",
                required=False,
                assume_scheme="https",
                max_length=DeliverableSubmission._meta.get_field("link").max_length,
                widget=WebAddressInput(),
                help_text="A shared document, folder, site or repository the business can open.",
            )
            self.fields[f"file_{pk}"] = forms.FileField(
                label="File",
                required=False,
                help_text=f"Up to {filesizeformat(settings.C2C_SUBMISSION_FILE_MAX_BYTES)}. Only you and the "
                "business can download it.",
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label="Note for the business (optional)",
                required=False,
                max_length=DeliverableSubmission._meta.get_field("note").max_length,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def sections(self) -> list[tuple]:
        """(checklist row, link, file, note) for each deliverable, in order."""
        return [
            (
                row,
                self[f"link_{row.deliverable.pk}"],
                self[f"file_{row.deliverable.pk}"],
                self[f"note_{row.deliverable.pk}"],
            )
            for row in self.rows
        ]

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            pk = row.deliverable.pk
            upload = cleaned.get(f"file_{pk}")
            if problem := hand_in_file_problem(upload):
                self.add_error(f"file_{pk}", problem)
            elif cleaned.get(f"note_{pk}") and not (
                cleaned.get(f"link_{pk}") or upload or self.has_error(f"link_{pk}")
            ):
                self.add_error(f"link_{pk}", "Add a link or a file for this deliverable too, or clear its note.")
        if not self.errors and not self.items():
            raise forms.ValidationError("Add a link or a file for at least one deliverable.")
        return cleaned

    def items(self) -> list[tuple]:
        """(deliverable, link, file, note) for each deliverable with a link or a file."""
        items = []
        for row in self.rows:
            pk = row.deliverable.pk
            link, upload = self.cleaned_data.get(f"link_{pk}"), self.cleaned_data.get(f"file_{pk}")
            if link or upload:
                items.append((row.deliverable, link, upload, self.cleaned_data.get(f"note_{pk}", "")))
        return items


class ReviewForm(FocusFirstError, forms.Form):
    """A decision and a note for each hand-in waiting for review; Accept is ticked, so all good is one click."""

    ACCEPT, CHANGES, LATER = "accept", "changes", "later"
    CHOICES = [(ACCEPT, "Accept"), (CHANGES, "Ask for changes"), (LATER, "Decide later")]

    def __init__(self, *args, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.submissions = submissions
        for submission in submissions:
            self.fields[f"decision_{submission.pk}"] = forms.ChoiceField(
                label="Your decision", choices=self.CHOICES, initial=self.ACCEPT, widget=forms.RadioSelect
            )
            self.fields[f"note_{submission.pk}"] = forms.CharField(
                label="Note for the student",
                required=False,
                max_length=DeliverableSubmission._meta.get_field("review_note").max_length,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Required when you ask for changes: say what to change.",
            )

    def sections(self) -> list[tuple]:
        return [
            (submission, self[f"decision_{submission.pk}"], self[f"note_{submission.pk}"])
            for submission in self.submissions
        ]

    def clean(self):
        cleaned = super().clean()
        for submission in self.submissions:
            decision = cleaned.get(f"decision_{submission.pk}")
            if decision == self.CHANGES and not cleaned.get(f"note_{submission.pk}", "").strip():
                self.add_error(f"note_{submission.pk}", "Say what needs to change so the student can fix it.")
        if not self.errors and not self.decisions():
            raise forms.ValidationError("Choose Accept or Ask for changes for at least one hand-in.")
        return cleaned

    def decisions(self) -> list[tuple]:
        """(submission, accepted, note) for each hand-in decided now."""
        return [
            (submission, decision == self.ACCEPT, self.cleaned_data.get(f"note_{submission.pk}", ""))
            for submission in self.submissions
            if (decision := self.cleaned_data.get(f"decision_{submission.pk}")) in {self.ACCEPT, self.CHANGES}
        ]


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


RATINGS = [(5, "5 — excellent"), (4, "4 — good"), (3, "3 — okay"), (2, "2 — poor"), (1, "1 — very poor")]


class FeedbackForm(FocusFirstError, forms.Form):
    rating = forms.TypedChoiceField(coerce=int, choices=RATINGS, widget=forms.RadioSelect)
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


class ConfirmWithFeedbackForm(FocusFirstError, forms.Form):
    """A confirmation (completing the work, or the fee arriving) that can carry the person's feedback, and for
    completion the news that the fee is already paid, so one page does what took three."""

    def __init__(
        self, *args, with_feedback: bool, with_reference: bool = False, payment_sent_label: str = "", **kwargs
    ):
        super().__init__(*args, **kwargs)
        layout = []
        if payment_sent_label:
            self.fields["payment_sent"] = forms.BooleanField(label=payment_sent_label, required=False)
            layout.append("payment_sent")
        if with_feedback:
            self.fields["rating"] = forms.TypedChoiceField(
                label="Rating", coerce=int, empty_value=None, required=False, choices=RATINGS, widget=forms.RadioSelect
            )
            self.fields["comment"] = forms.CharField(
                label="How did it go?",
                required=False,
                max_length=Feedback._meta.get_field("comment").max_length,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            feedback = ["rating", "comment"]
            if with_reference:
                self.fields["is_reference"] = forms.BooleanField(
                    label="Offer this as a reference for the student",
                    required=False,
                    help_text="It is shown on the student's portfolio.",
                )
                feedback.append("is_reference")
            layout.append(Fieldset("Your feedback (optional: you can also leave it later)", *feedback))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout)

    def clean(self):
        cleaned = super().clean()
        rating, comment = cleaned.get("rating"), cleaned.get("comment", "").strip()
        if rating is not None and not comment:
            self.add_error("comment", "Write a few words about how it went, or clear the rating to leave it for later.")
        if comment and rating is None and "rating" not in self.errors:
            self.add_error("rating", "Choose a rating, or clear your comment to leave feedback for later.")
        return cleaned

    def feedback(self) -> tuple | None:
        """(rating, comment, is_reference) when the person left feedback here, else None."""
        if self.cleaned_data.get("rating") is None:
            return None
        return self.cleaned_data["rating"], self.cleaned_data["comment"], self.cleaned_data.get("is_reference", False)

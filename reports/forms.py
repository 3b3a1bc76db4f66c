from datetime import timedelta

from django import forms

from projects.enums import Category
from reports.figures import Period, last_12_months
from students.enums import SchoolType


class ReportForm(forms.Form):
    since = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(label="Category", choices=[("", "All categories"), *Category.choices], required=False)
    school_type = forms.ChoiceField(
        label="School type", choices=[("", "All school types"), *SchoolType.choices], required=False
    )

    def __init__(self, data=None, **kwargs):
        default = last_12_months()
        super().__init__(data, initial={"since": default.since, "until": default.until}, **kwargs)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date must be on or after the start date.")
        if since and until and until - since > timedelta(days=366 * 5):
            self.add_error("since", "Choose a period of five years or less.")
        return cleaned

    def period(self) -> Period:
        """The chosen period, or the last 12 months while nothing (valid) is chosen."""
        if not self.is_bound or not self.is_valid():
            return last_12_months()
        return Period(
            since=self.cleaned_data["since"],
            until=self.cleaned_data["until"],
            category=self.cleaned_data["category"],
            school_type=self.cleaned_data["school_type"],
        )

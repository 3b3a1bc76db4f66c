from itertools import groupby, pairwise
from urllib.parse import urlsplit

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.template.defaultfilters import date as format_date
from django.utils import timezone

from c2c.forms import FocusFirstError, WebAddressInput
from catalogue.enums import MAX_HOURS, MIN_HOURS, InterestKind
from catalogue.models import Interest
from students.enums import LocationPreference, SkillLevel
from students.models import StudentProfile
from students.validators import EMPTY

NOT_A_SKILL = ""
LEVEL_CHOICES = [(NOT_A_SKILL, "Not yet"), *SkillLevel.choices]
FIRST_GRADUATION_YEARS_BACK = 2
LAST_GRADUATION_YEARS_AHEAD = 8


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def _row(*names) -> Div:
    return Div(*(Div(name, css_class="col-sm-6") for name in names), css_class="row")


class SchoolForm(FocusFirstError, forms.ModelForm):
    graduation_year = forms.IntegerField(
        label="Expected graduation year",
        required=False,
        error_messages={"invalid": "Enter a year as four digits, e.g. 2027."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = StudentProfile
        fields = ["school", "school_type", "programme", "graduation_year", "bio"]
        labels = {"school": "School, college or university", "programme": "Programme or major"}
        help_texts = {
            "programme": "For example “Business Administration (AAS)” or “Undecided”.",
            "bio": "A few sentences: what you study, what you'd like to get better at, anything that shapes your week.",
        }
        widgets = {
            "school": forms.TextInput(attrs={"autocomplete": "organization"}),
            "bio": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].required = True
        self.fields["school_type"].required = True
        self.helper = _helper("school", "school_type", _row("programme", "graduation_year"), "bio")

    def clean_graduation_year(self):
        year = self.cleaned_data["graduation_year"]
        this_year = timezone.localdate().year
        first, last = this_year - FIRST_GRADUATION_YEARS_BACK, this_year + LAST_GRADUATION_YEARS_AHEAD
        if year is not None and not first <= year <= last:
            raise forms.ValidationError(f"Enter the year you expect to finish, between {first} and {last}.")
        return year


class SkillsForm(forms.Form):
    """One level select per curated skill; "Not yet" means the student doesn't list it."""

    def __init__(self, *args, skills, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = list(skills)
        for skill in self.skills:
            self.fields[self.field_name(skill)] = forms.ChoiceField(
                label=skill.name,
                choices=LEVEL_CHOICES,
                required=False,
                initial=current.get(skill.pk, NOT_A_SKILL),
                widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
            )

    @staticmethod
    def field_name(skill) -> str:
        return f"skill_{skill.pk}"

    def groups(self) -> list[dict]:
        """The fields grouped by Skill.group, each group saying how many levels are chosen in it."""
        result = []
        ordered = sorted(self.skills, key=lambda skill: (skill.group or "Other", skill.name))
        for group, skills in groupby(ordered, key=lambda skill: skill.group or "Other"):
            fields = [self[self.field_name(skill)] for skill in skills]
            chosen = sum(1 for field in fields if field.value())
            result.append({"name": group, "fields": fields, "chosen": chosen})
        return result

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(self.field_name(skill)) for skill in self.skills):
            raise forms.ValidationError("Choose a level for at least one skill. Beginner is fine!")
        return cleaned

    def chosen(self) -> list[tuple]:
        return [
            (skill, self.cleaned_data[self.field_name(skill)])
            for skill in self.skills
            if self.cleaned_data.get(self.field_name(skill))
        ]


class InterestsForm(forms.Form):
    industries = forms.ModelMultipleChoiceField(
        queryset=Interest.objects.filter(kind=InterestKind.INDUSTRY),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Industries",
    )
    causes = forms.ModelMultipleChoiceField(
        queryset=Interest.objects.filter(kind=InterestKind.CAUSE),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Causes",
    )

    def __init__(self, *args, current=(), **kwargs):
        current = list(current)
        kwargs.setdefault(
            "initial",
            {
                "industries": [item.pk for item in current if item.kind == InterestKind.INDUSTRY],
                "causes": [item.pk for item in current if item.kind == InterestKind.CAUSE],
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = _helper(InlineCheckboxes("industries"), InlineCheckboxes("causes"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("industries") and not cleaned.get("causes"):
            raise forms.ValidationError("Pick at least one industry or cause you'd like to work for.")
        return cleaned

    def chosen(self) -> list:
        return [*self.cleaned_data["industries"], *self.cleaned_data["causes"]]


class AvailabilityForm(FocusFirstError, forms.ModelForm):
    hours_per_week = forms.IntegerField(
        label="Hours a week you can give",
        help_text="Be honest: count around classes, work and family. We never suggest projects needing more.",
        error_messages={"invalid": f"Enter a whole number of hours from {MIN_HOURS} to {MAX_HOURS}."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": MIN_HOURS, "max": MAX_HOURS}),
    )

    class Meta:
        model = StudentProfile
        fields = ["hours_per_week", "location_preference", "city", "state"]
        labels = {"location_preference": "Where can you work?"}
        widgets = {
            "location_preference": forms.RadioSelect,
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "state": forms.TextInput(attrs={"autocomplete": "address-level1"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("hours_per_week", Fieldset("Location", "location_preference", _row("city", "state")))

    def clean_hours_per_week(self):
        hours = self.cleaned_data["hours_per_week"]
        if not MIN_HOURS <= hours <= MAX_HOURS:
            raise forms.ValidationError(f"Enter a number of hours from {MIN_HOURS} to {MAX_HOURS}.")
        return hours

    def clean(self):
        cleaned = super().clean()
        preference = cleaned.get("location_preference")
        if preference and preference != LocationPreference.REMOTE and not cleaned.get("city"):
            self.add_error("city", "Enter your city so we can find hybrid and on-site projects near you.")
        return cleaned


class WindowForm(forms.Form):
    starts_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be on or after the start date.")
        elif ends_on and ends_on < timezone.localdate():
            self.add_error("ends_on", "These dates have already passed. Change them, or tick “Remove”.")
        return cleaned


class BaseWindowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove these dates"

    def clean(self):
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form) and form.cleaned_data.get("starts_on")
        ]
        if not kept:
            raise forms.ValidationError("Add at least one date range when you can work.")
        ordered = sorted(kept, key=lambda form: form.cleaned_data["starts_on"])
        for earlier, later in pairwise(ordered):
            if later.cleaned_data["starts_on"] <= earlier.cleaned_data["ends_on"]:
                span = " – ".join(
                    format_date(earlier.cleaned_data[name], "D j M Y") for name in ["starts_on", "ends_on"]
                )
                later.add_error("starts_on", f"This overlaps {span}. Merge them into one range.")

    def windows(self) -> list[tuple]:
        return sorted(
            (form.cleaned_data["starts_on"], form.cleaned_data["ends_on"])
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form) and form.cleaned_data.get("starts_on")
        )


WindowFormSet = forms.formset_factory(WindowForm, formset=BaseWindowFormSet, extra=1, can_delete=True, max_num=12)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


class LinksForm(FocusFirstError, forms.ModelForm):
    portfolio_url = forms.URLField(
        label="Portfolio or personal website",
        required=False,
        assume_scheme="https",
        max_length=200,
        widget=WebAddressInput(),
    )
    linkedin_url = forms.URLField(
        label="LinkedIn",
        required=False,
        assume_scheme="https",
        max_length=200,
        widget=WebAddressInput(),
        help_text="linkedin.com/in/…",
    )
    github_url = forms.URLField(
        label="GitHub",
        required=False,
        assume_scheme="https",
        max_length=200,
        widget=WebAddressInput(),
        help_text="github.com/…",
    )
    # Checked by students.services.save_links (students.validators), where the rule lives.
    resume = forms.FileField(
        label="Résumé (PDF)",
        required=False,
        help_text="A PDF up to 5 MB. Only you, staff and businesses you apply to can open it.",
        error_messages={"empty": EMPTY},
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    remove_resume = forms.BooleanField(label="Remove my current résumé", required=False)

    class Meta:
        model = StudentProfile
        fields = ["portfolio_url", "linkedin_url", "github_url", "discoverable", "portfolio_public"]
        help_texts = {
            "portfolio_public": "Gives you a link to share with employers, showing your name, school and finished "
            "projects. Never your email, links or résumé.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        has_resume = bool(self.instance.resume)
        if not has_resume:
            del self.fields["remove_resume"]
        resume_fields = ["resume", "remove_resume"] if has_resume else ["resume"]
        self.helper = _helper(
            Fieldset("Links", "portfolio_url", _row("linkedin_url", "github_url")),
            Fieldset("Résumé", *resume_fields),
            Fieldset("Who can see you", "discoverable", "portfolio_public"),
        )

    def clean_linkedin_url(self):
        url = self.cleaned_data["linkedin_url"]
        if url and not _host(url).endswith("linkedin.com"):
            raise forms.ValidationError("This isn't a LinkedIn address. It should look like linkedin.com/in/your-name.")
        return url

    def clean_github_url(self):
        url = self.cleaned_data["github_url"]
        if url and _host(url) != "github.com":
            raise forms.ValidationError("This isn't a GitHub address. It should look like github.com/your-name.")
        return url


class PortfolioSharingForm(forms.Form):
    portfolio_public = forms.BooleanField(required=False)


class DeleteAccountForm(FocusFirstError, forms.Form):
    email = forms.EmailField(
        label="Type your email address to confirm",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError("That isn't the email address of this account.")
        return email

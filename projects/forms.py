from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.utils import timezone

from c2c.forms import FocusFirstError, GroupedCheckboxes, grouped_choices
from catalogue.enums import MAX_HOURS, MIN_HOURS, InterestKind
from catalogue.models import Interest, Skill
from projects import rules
from projects.enums import FlagReason, LocationMode
from projects.models import MAX_SCREENING_QUESTIONS, MAX_WEEKS, MIN_WEEKS, Project
from projects.rules import term_errors

# How a GroupedCheckboxes field is laid out: a fieldset named by the field's label.
PICKER = "forms/picker.html"


class ProjectReportForm(FocusFirstError, forms.Form):
    reason = forms.ChoiceField(choices=FlagReason.choices, widget=forms.RadioSelect, label="What's wrong?")
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything staff should know (optional)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", "Send report", css_class="btn-danger"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == FlagReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", "Tell us briefly what's wrong so staff can check it.")
        return cleaned


class LinesField(forms.CharField):
    """A textarea where each non-empty line is one item of an ordered list."""

    def __init__(self, *, max_items, item_max_length, **kwargs):
        self.max_items = max_items
        self.item_max_length = item_max_length
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        kwargs.setdefault("error_messages", {"required": "Add at least one item, one per line."})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        text = super().clean(value) or ""
        items = [" ".join(line.split()) for line in text.splitlines()]
        items = [item for item in items if item]
        if self.required and not items:
            raise forms.ValidationError("Add at least one item, one per line.")
        if len(items) > self.max_items:
            raise forms.ValidationError(f"Keep it to {self.max_items} items or fewer (you have {len(items)}).")
        too_long = [item for item in items if len(item) > self.item_max_length]
        if too_long:
            raise forms.ValidationError(f"Keep each line under {self.item_max_length} characters.")
        return items


class ProjectForm(FocusFirstError, forms.ModelForm):
    """The posting form a business fills in, optionally pre-filled from a template."""

    deliverables = LinesField(
        max_items=12,
        item_max_length=300,
        label="Deliverables",
        help_text="What the student hands over, in order. One per line.",
    )
    duration_weeks = forms.TypedChoiceField(
        label="Duration (weeks)",
        coerce=int,
        choices=[(weeks, f"{weeks} weeks") for weeks in range(MIN_WEEKS, MAX_WEEKS + 1)],
        error_messages={"invalid_choice": "A micro-internship lasts 2 to 8 whole weeks."},
    )
    screening_questions = LinesField(
        max_items=MAX_SCREENING_QUESTIONS,
        item_max_length=300,
        required=False,
        label="Screening questions (optional)",
        help_text=f"Up to {MAX_SCREENING_QUESTIONS}, one per line. Students answer them when applying.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "summary",
            "description",
            "category",
            "deliverables",
            "required_skills",
            "nice_to_have_skills",
            "interests",
            "duration_weeks",
            "hours_per_week",
            "fee",
            "earliest_start",
            "apply_by",
            "location_mode",
            "city",
            "state",
            "openings",
            "screening_questions",
        ]
        labels = {
            "fee": "Fixed fee (USD)",
            "interests": "Industries and causes",
            "required_skills": "Required skills",
            "nice_to_have_skills": "Nice-to-have skills",
            "earliest_start": "Earliest start date",
            "apply_by": "Apply by",
        }
        help_texts = {
            "fee": "Paid to the student for the whole project. It must work out at the minimum hourly rate or more.",
            "required_skills": "Tick the skills a student must already have. Fewer is better: every one you add "
            "narrows who fits.",
            "nice_to_have_skills": "Skills that help but can be learnt on the job.",
            "openings": "How many students you will hire for this project.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "earliest_start": forms.DateInput(attrs={"type": "date"}),
            "apply_by": forms.DateInput(attrs={"type": "date"}),
            "required_skills": GroupedCheckboxes,
            "nice_to_have_skills": GroupedCheckboxes,
            "interests": GroupedCheckboxes,
            "fee": forms.NumberInput(attrs={"min": "1", "step": "1", "inputmode": "decimal"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_skills"].required = True
        skills = grouped_choices(Skill.objects.order_by("group", "name").values_list("pk", "name", "group"))
        self.fields["required_skills"].choices = skills
        self.fields["nice_to_have_skills"].choices = skills
        kinds = dict(InterestKind.choices)
        interests = Interest.objects.order_by("kind", "name").values_list("pk", "name", "kind")
        self.fields["interests"].choices = grouped_choices((pk, name, kinds[kind]) for pk, name, kind in interests)
        self.fields["hours_per_week"].widget.attrs.update(min=MIN_HOURS, max=MAX_HOURS)
        self.fields["fee"].widget.attrs["data-min-hourly-rate"] = settings.C2C_MIN_HOURLY_RATE
        if self.instance.pk and not self.is_bound:
            self.initial["deliverables"] = list(self.instance.deliverables.values_list("title", flat=True))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("The project", "title", "summary", "description", "category", "deliverables"),
            Fieldset(
                "Skills and interests",
                Div(
                    Div(Field("required_skills", template=PICKER), css_class="col-md-6"),
                    Div(Field("nice_to_have_skills", template=PICKER), css_class="col-md-6"),
                    css_class="row",
                ),
                Field("interests", template=PICKER),
            ),
            Fieldset(
                "Time and pay",
                Div(
                    Div("duration_weeks", css_class="col-sm-4"),
                    Div("hours_per_week", css_class="col-sm-4"),
                    Div("fee", css_class="col-sm-4"),
                    css_class="row",
                ),
                Div(
                    Div("earliest_start", css_class="col-sm-6"), Div("apply_by", css_class="col-sm-6"), css_class="row"
                ),
            ),
            Fieldset(
                "Where and how many",
                "location_mode",
                Div(Div("city", css_class="col-sm-6"), Div("state", css_class="col-sm-6"), css_class="row"),
                "openings",
                "screening_questions",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("location_mode") in {LocationMode.HYBRID, LocationMode.ONSITE} and not cleaned.get("city"):
            self.add_error("city", "Hybrid and on-site projects need a city so students know where they'd go.")
        required = set(cleaned.get("required_skills") or [])
        overlap = required & set(cleaned.get("nice_to_have_skills") or [])
        if overlap:
            self.add_error(
                "nice_to_have_skills",
                f"{', '.join(sorted(s.name for s in overlap))} is already required: pick it in one list only.",
            )
        errors = term_errors(
            fee=cleaned.get("fee"),
            duration_weeks=cleaned.get("duration_weeks"),
            hours_per_week=cleaned.get("hours_per_week"),
            earliest_start=cleaned.get("earliest_start"),
            apply_by=cleaned.get("apply_by"),
            today=timezone.localdate(),
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def project_data(self) -> dict:
        related = {"deliverables", "required_skills", "nice_to_have_skills", "interests"}
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name not in related}

    def related_data(self) -> tuple[list[str], dict]:
        skills = {name: self.cleaned_data[name] for name in ["required_skills", "nice_to_have_skills", "interests"]}
        return self.cleaned_data["deliverables"], skills


def template_initial(template) -> dict:
    """Form values pre-filled from a project template."""
    return {
        "title": template.title,
        "summary": template.summary,
        "description": template.description,
        "category": template.category,
        "deliverables": template.deliverables,
        "required_skills": list(template.required_skills.all()),
        "nice_to_have_skills": list(template.nice_to_have_skills.all()),
        "duration_weeks": template.duration_weeks,
        "hours_per_week": template.hours_per_week,
        "fee": template.suggested_fee,
    }


class ApplicationForm(FocusFirstError, forms.Form):
    """A short cover note, one answer per screening question, and the availability confirmation."""

    cover_note = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Cover note",
        help_text="A few sentences: why this project, and what you'd bring. 2,000 characters at most.",
    )
    confirmed_availability = forms.BooleanField(
        required=True,
        error_messages={"required": "Confirm that you can give the project's hours in its dates."},
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(project.screening_questions or [])
        for number, question in enumerate(self.questions):
            self.fields[f"answer_{number}"] = forms.CharField(
                label=question,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Answer this question: the organisation asks every applicant."},
            )
        self.fields["confirmed_availability"].label = (
            f"I can give about {project.hours_per_week} hours a week for {project.duration_weeks} weeks, "
            f"starting from {project.earliest_start:%a %-d %b %Y}."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", "Send application"))

    def answers(self) -> list[str]:
        return [self.cleaned_data[f"answer_{number}"] for number in range(len(self.questions))]


class OfferForm(FocusFirstError, forms.Form):
    """The confirmation step of an offer: a start date (the project's earliest start by default) and a message."""

    proposed_start = forms.DateField(
        label="Proposed start date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    message = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A message for the student (optional)",
        help_text="Why you chose them, or anything they should know before answering.",
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        today = timezone.localdate()
        self.fields["proposed_start"].initial = max(project.earliest_start, today)
        self.fields["proposed_start"].help_text = (
            f"On or after {max(project.earliest_start, today):%a %-d %b %Y}, when the project was advertised to "
            "start. Left empty, it is that date."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_proposed_start(self):
        proposed_start = self.cleaned_data["proposed_start"]
        if proposed_start is not None:
            problem = rules.offer_start_error(
                proposed_start=proposed_start, earliest_start=self.project.earliest_start, today=timezone.localdate()
            )
            if problem:
                raise forms.ValidationError(problem)
        return proposed_start


class DecisionMessageForm(forms.Form):
    message = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A message for the student (optional)",
        help_text="They'll see it with your decision. A line of encouragement goes a long way.",
    )

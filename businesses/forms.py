from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.validators import RegexValidator

from accounts.models import User
from businesses.models import Business
from businesses.services import duplicate_business_errors
from c2c.forms import FocusFirstError, WebAddressInput

ein_validator = RegexValidator(
    r"^\d{2}-\d{7}$", "Enter the EIN as two digits, a dash and seven digits, e.g. 12-3456789."
)
phone_validator = RegexValidator(
    r"^[0-9+()\-. ]{7,32}$", "Enter a phone number using digits, spaces and + ( ) - . only, e.g. (555) 123-4567."
)


class BusinessRegistrationForm(FocusFirstError, forms.ModelForm):
    """The partner registration form; with `with_account` it also creates the owner's login."""

    email = forms.EmailField(
        label="Your email (used to log in)", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=200,
        widget=WebAddressInput(),
        help_text="For example mybakery.com. We use it to check the organisation isn't already registered.",
    )
    password2 = forms.CharField(
        label="Repeat the password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    # A honeypot: hidden from people and screen readers, so only bots fill it in (see is_from_a_bot).
    homepage = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Business
        fields = [
            "name",
            "org_type",
            "industry",
            "size",
            "website",
            "city",
            "state",
            "remote_only",
            "ein",
            "description",
            "contact_name",
            "contact_title",
            "contact_email",
            "contact_phone",
            "heard_about",
            "project_ideas",
            "agreed_to_pay_students",
            "agreed_to_terms",
        ]
        labels = {
            "name": "Organisation name",
            "remote_only": "We work remotely only (no office students would visit)",
            "ein": "EIN (optional)",
            "contact_name": "Contact name",
            "contact_title": "Contact's job title",
            "heard_about": "How did you hear about us?",
            "project_ideas": "What kinds of projects do you have in mind?",
            "agreed_to_pay_students": "We will pay students the agreed fee for every project",
            "agreed_to_terms": "We agree to the partner terms",
        }
        help_texts = {
            "ein": "Format NN-NNNNNNN. Helps us verify nonprofits faster.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "project_ideas": forms.Textarea(attrs={"rows": 3}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, with_account: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_account = with_account
        if not with_account:
            for name in ["email", "password1", "password2", "homepage"]:
                del self.fields[name]
        self.fields["ein"].validators.append(ein_validator)
        self.fields["contact_phone"].validators.append(phone_validator)
        self.fields["agreed_to_pay_students"].required = True
        self.fields["agreed_to_terms"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        account = [Fieldset("Your login", "email", "password1", "password2")] if with_account else []
        honeypot = [Div("homepage", css_class="hp-field", aria_hidden="true")] if with_account else []
        self.helper.layout = Layout(
            *account,
            Fieldset(
                "Your organisation",
                "name",
                Div(
                    Div("org_type", css_class="col-md-4"),
                    Div("industry", css_class="col-md-4"),
                    Div("size", css_class="col-md-4"),
                    css_class="row",
                ),
                "website",
                Div(Div("city", css_class="col-md-6"), Div("state", css_class="col-md-6"), css_class="row"),
                "remote_only",
                "ein",
                "description",
            ),
            Fieldset(
                "Who we should talk to",
                Div(
                    Div("contact_name", css_class="col-md-6"),
                    Div("contact_title", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("contact_email", css_class="col-md-6"),
                    Div("contact_phone", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset("Your projects", "heard_about", "project_ideas", "agreed_to_pay_students", "agreed_to_terms"),
            *honeypot,
            Submit("submit", "Register organisation", css_class="btn-lg mt-2"),
        )

    def clean_email(self):
        # Whether the address already has an account is never said here: see register_with_new_login.
        return self.cleaned_data["email"].strip().lower()

    def is_from_a_bot(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("remote_only") and not cleaned.get("city"):
            self.add_error("city", "Enter your city, or tick 'We work remotely only'.")
        if self.with_account:
            password1, password2 = cleaned.get("password1"), cleaned.get("password2")
            if password1 and password2 and password1 != password2:
                self.add_error("password2", "The two passwords don't match.")
            elif password1:
                try:
                    password_validation.validate_password(password1, User(email=cleaned.get("email", "")))
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        for field, message in duplicate_business_errors(
            website=cleaned.get("website", ""), ein=cleaned.get("ein", "")
        ).items():
            self.add_error(field, message)
        return cleaned

    def business_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def validate_unique(self):
        # Duplicates get friendlier messages in clean(); the database constraints stay as a backstop.
        pass

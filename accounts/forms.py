from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from accounts.enums import SIGNUP_ROLES
from c2c.forms import FocusFirstError


class SignupForm(FocusFirstError, AllauthSignupForm):
    """allauth's sign-up form plus who the person is: a student or someone from a business."""

    full_name = forms.CharField(
        max_length=150, label="Your name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    role = forms.ChoiceField(
        choices=SIGNUP_ROLES,
        widget=forms.RadioSelect,
        label="I am signing up as",
        initial=SIGNUP_ROLES[0][0],
        help_text="Businesses finish with a short partner registration form after confirming their email.",
    )

    field_order = ["full_name", "email", "role", "password1", "password2"]

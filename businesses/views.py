"""The partner registration form: an organisation (and, for a newcomer, its first login) joins the marketplace."""

from allauth.account.internal.flows.signup import prevent_enumeration
from allauth.account.utils import complete_signup
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from businesses import selectors, services
from businesses.forms import BusinessRegistrationForm
from c2c.forms import attach_service_errors


def register(request):
    user = request.user
    if selectors.business_for(user) is not None:
        messages.info(request, "Your organisation is already registered.")
        return redirect("businesses:dashboard")
    if user.is_authenticated and user.is_student:
        messages.warning(
            request,
            "You're logged in with a student account. Log out first to register an organisation with another email.",
        )
        return redirect("home")
    with_account = not user.is_authenticated
    initial = {} if with_account else {"contact_name": user.full_name, "contact_email": user.email}
    form = BusinessRegistrationForm(request.POST or None, with_account=with_account, initial=initial)
    if request.method == "POST":
        if not ratelimit.consume(request, action="partner_register"):
            return ratelimit.respond_429(request)
        if form.is_valid():
            email = form.cleaned_data["email"] if with_account else user.email
            if not ratelimit.consume(request, action="partner_register_email", key=email):
                return ratelimit.respond_429(request)
            if form.is_from_a_bot():
                return _answer_new_login(request, form)
            try:
                if with_account:
                    return _register_with_new_login(request, form)
                business = services.register_business(actor=user, data=form.business_data())
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, f"{business.name} is registered and waiting for review.")
                return redirect("businesses:dashboard")
    return render(request, "businesses/register.html", {"form": form, "with_account": with_account})


def _register_with_new_login(request, form):
    """A new email and a known one get the same answer: a page saying to follow the link just emailed."""
    new_user = services.register_with_new_login(
        email=form.cleaned_data["email"],
        password=form.cleaned_data["password1"],
        full_name=form.cleaned_data["contact_name"],
        data=form.business_data(),
    )
    if new_user is None:
        # allauth's answer to a sign-up with a known email: the same steps and page as a real sign-up, and an
        # email to that address (accounts.adapters sends the partner form's version).
        response = prevent_enumeration(request, email=form.cleaned_data["email"])
    else:
        response = complete_signup(
            request, new_user, settings.ACCOUNT_EMAIL_VERIFICATION, reverse("businesses:dashboard")
        )
    return _answer_new_login(request, form, response)


def _answer_new_login(request, form, response=None):
    messages.success(
        request,
        f"Thank you. To finish registering {form.cleaned_data['name']}, follow the link we've emailed to "
        f"{form.cleaned_data['email']}.",
    )
    return response or redirect("account_email_verification_sent")

from urllib.parse import quote, urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse

from accounts import second_factor
from accounts.enums import Role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "")
        user.role = form.cleaned_data.get("role") or Role.STUDENT
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        return self._landing_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return self._landing_url(request) or super().get_signup_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address):
        return self._landing_url(self.request) or super().get_email_verification_redirect_url(email_address)

    @staticmethod
    def _landing_url(request):
        # Business members land on their dashboard, which sends them on to registration if needed;
        # students who haven't finished their profile land on the step where they left off.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.is_business_member:
            return reverse("businesses:dashboard")
        # The profile is reached through the user (students build on accounts, not the other way round).
        profile = getattr(user, "student_profile", None)
        if user.is_student and (profile is None or not profile.is_onboarded):
            return reverse("students:onboarding")
        return None

    def send_account_already_exists_mail(self, email):
        # The partner form answers a known email as allauth's sign-up does; its email says where to go instead.
        match = getattr(context.request, "resolver_match", None)
        if match is None or match.view_name != "businesses:register":
            super().send_account_already_exists_mail(email)
            return
        login_path = f"{reverse('account_login')}?{urlencode({'next': reverse('businesses:register')})}"
        self.send_mail(
            "account/email/partner_account_exists",
            email,
            {
                "login_url": f"{settings.SITE_URL}{login_path}",
                "password_reset_url": f"{settings.SITE_URL}{reverse('account_reset_password')}",
                "site_name": settings.SITE_NAME,
                "site_url": settings.SITE_URL,
            },
        )

    def get_email_confirmation_url(self, request, emailconfirmation):
        # Links in emails are built from SITE_URL, not from the request's Host header.
        path = reverse("account_confirm_email", args=[emailconfirmation.key])
        return f"{settings.SITE_URL}{path}"

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return f"{settings.SITE_URL}{path.replace('UID-KEY', quote(key))}"


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        # Staff keep their authenticator app: without it no staff page would open. Another staff member can
        # remove a lost one in the admin, and the owner then sets up a new one at their next sign-in.
        return not (authenticator.user.is_staff and authenticator.type in second_factor.SECOND_FACTOR_TYPES)

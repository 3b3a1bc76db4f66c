from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from accounts import second_factor

# allauth's own pages (log in and out, confirm an email, set up and use the second factor) stay reachable.
OPEN_VIEW_MODULE_PREFIX = "allauth."


class StaffTwoFactorMiddleware:
    """Staff can read every résumé and approve businesses, so no staff session works on a password alone.

    A staff member without an authenticator app is sent to set one up before any other page loads; one whose
    session has not used it (signed in before enrolling, made staff while signed in) is asked for a code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        if getattr(view_func, "__module__", "").startswith(OPEN_VIEW_MODULE_PREFIX):
            return None
        if not second_factor.is_enrolled(user):
            messages.info(
                request,
                "Staff accounts need two-factor authentication. Set up an authenticator app to continue.",
            )
            return redirect("mfa_activate_totp")
        if not second_factor.session_passed(request):
            messages.info(request, "Enter a code from your authenticator app to continue.")
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return None

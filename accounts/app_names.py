"""Django's and allauth's apps under the names a moderator reads on the admin index (two were called "Accounts").

In their own module: Django picks an app's config from apps.py only when that module holds just one.
"""

from allauth.account.apps import AccountConfig
from allauth.mfa.apps import MFAConfig
from django.contrib.auth.apps import AuthConfig


class StaffPermissionsConfig(AuthConfig):
    verbose_name = "Staff groups and permissions"


class EmailAddressesConfig(AccountConfig):
    verbose_name = "Sign-in email addresses"


class TwoFactorConfig(MFAConfig):
    verbose_name = "Two-factor sign-in"

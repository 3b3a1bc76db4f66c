from allauth.mfa.signals import authenticator_added
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts import second_factor
from accounts.models import User
from c2c.page_cache import people_changed


@receiver(authenticator_added)
def count_enrolment_as_second_factor(sender, request, user, authenticator, **kwargs):
    if request is not None and authenticator.type in second_factor.SECOND_FACTOR_TYPES and request.user.pk == user.pk:
        # Turning the app on takes a valid code from it: the session that did it has passed the second factor.
        second_factor.record_second_factor(request, authenticator)


@receiver(post_save, sender=User, dispatch_uid="kept-pages-user")
def refresh_own_pages(sender, instance, **kwargs):
    # A changed name, role or password shows at once; a deactivated account's pages are never served again.
    people_changed([instance.pk])

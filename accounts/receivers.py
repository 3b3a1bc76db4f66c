from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from accounts import second_factor


@receiver(authenticator_added)
def count_enrolment_as_second_factor(sender, request, user, authenticator, **kwargs):
    if request is not None and authenticator.type in second_factor.SECOND_FACTOR_TYPES and request.user.pk == user.pk:
        # Turning the app on takes a valid code from it: the session that did it has passed the second factor.
        second_factor.record_second_factor(request, authenticator)

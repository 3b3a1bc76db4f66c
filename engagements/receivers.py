"""Engagements begin where applications end: an accepted offer opens the work."""

from django.dispatch import receiver

from engagements.services import start_engagement
from projects.enums import ApplicationStatus
from projects.signals import application_changed


@receiver(application_changed, dispatch_uid="engagements-application-accepted")
def open_engagement(sender, *, application, to_status, actor, **kwargs):
    if to_status == ApplicationStatus.ACCEPTED:
        start_engagement(actor=actor, application=application)

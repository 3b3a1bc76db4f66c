"""Engagements begin where applications end: an accepted offer opens the work. Their changes show at once on
both sides' kept pages."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from businesses.selectors import member_ids
from c2c.page_cache import people_changed
from engagements.models import Engagement
from engagements.services import start_engagement
from projects.enums import ApplicationStatus
from projects.signals import application_changed


@receiver(application_changed, dispatch_uid="engagements-application-accepted")
def open_engagement(sender, *, application, to_status, actor, **kwargs):
    if to_status == ApplicationStatus.ACCEPTED:
        start_engagement(actor=actor, application=application)


@receiver(post_save, sender=Engagement, dispatch_uid="kept-pages-engagement")
def refresh_engagement_pages(sender, instance, **kwargs):
    people_changed([instance.student_id, *member_ids([instance.business_id])])

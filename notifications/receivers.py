"""A new or changed notification shows at once on its recipient's kept pages (the unread count in the header)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from c2c.page_cache import people_changed
from notifications.models import Notification


@receiver(post_save, sender=Notification, dispatch_uid="kept-pages-notification")
def refresh_recipient_pages(sender, instance, **kwargs):
    people_changed([instance.recipient_id])

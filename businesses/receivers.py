"""A business's changes show at once on its members' kept pages; joining or leaving one, on that person's."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from businesses.models import Business, Membership
from businesses.selectors import member_ids
from c2c.page_cache import people_changed


@receiver(post_save, sender=Business, dispatch_uid="kept-pages-business")
def refresh_member_pages(sender, instance, **kwargs):
    people_changed(member_ids([instance.pk]))


@receiver(post_save, sender=Membership, dispatch_uid="kept-pages-membership-saved")
@receiver(post_delete, sender=Membership, dispatch_uid="kept-pages-membership-deleted")
def refresh_own_pages(sender, instance, **kwargs):
    people_changed([instance.user_id])

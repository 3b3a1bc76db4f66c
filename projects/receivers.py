"""The catalogue's cached visitor pages follow every change that can show on them."""

from django.db import transaction
from django.dispatch import receiver

from businesses.signals import business_status_changed
from c2c.page_cache import catalogue_changed
from projects.signals import project_changed, project_published, project_unlisted


@receiver(project_published, dispatch_uid="page-cache-project-published")
@receiver(project_changed, dispatch_uid="page-cache-project-changed")
@receiver(project_unlisted, dispatch_uid="page-cache-project-unlisted")
@receiver(business_status_changed, dispatch_uid="page-cache-business-status")
def refresh_visitor_pages(sender, **kwargs):
    # robust: the change is saved; a cache that can't be reached only means the old pages live out their minute.
    transaction.on_commit(catalogue_changed, robust=True)

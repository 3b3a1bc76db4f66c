"""Kept pages follow every change to projects and applications that can show on them."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from businesses.selectors import member_ids
from businesses.signals import business_status_changed
from c2c.page_cache import catalogue_changed, people_changed
from projects.models import Application, Project
from projects.signals import project_changed, project_published, project_unlisted


@receiver(project_published, dispatch_uid="page-cache-project-published")
@receiver(project_changed, dispatch_uid="page-cache-project-changed")
@receiver(project_unlisted, dispatch_uid="page-cache-project-unlisted")
@receiver(business_status_changed, dispatch_uid="page-cache-business-status")
def refresh_catalogue_pages(sender, **kwargs):
    # robust: the change is saved; a cache that can't be reached only means the old pages live out their minute.
    transaction.on_commit(catalogue_changed, robust=True)


@receiver(post_save, sender=Project, dispatch_uid="kept-pages-project")
def refresh_business_pages(sender, instance, **kwargs):
    people_changed(member_ids([instance.business_id]))


@receiver(post_save, sender=Application, dispatch_uid="kept-pages-application")
def refresh_application_pages(sender, instance, **kwargs):
    people_changed([instance.student_id, *member_ids([instance.project.business_id])])

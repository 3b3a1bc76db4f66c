"""A student's profile shows on their own pages and on the applicants pages of the businesses they applied to:
its changes show on all of them at once."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from businesses.selectors import member_ids
from c2c.page_cache import people_changed
from projects.models import Project
from students.models import StudentProfile
from students.signals import profile_changed


@receiver(profile_changed, dispatch_uid="kept-pages-profile-changed")
@receiver(post_save, sender=StudentProfile, dispatch_uid="kept-pages-profile-saved")
def refresh_profile_pages(sender, **kwargs):
    profile = kwargs.get("profile") or kwargs["instance"]
    applied_to = Project.objects.filter(applications__student_id=profile.user_id).values("business_id")
    people_changed([profile.user_id, *member_ids(applied_to)])

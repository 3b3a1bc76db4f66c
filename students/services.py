"""Writes for student profiles: onboarding steps, résumé, sharing, and deleting the account."""

import os
from itertools import pairwise

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from engagements.models import Message
from projects.models import Application
from students import completeness, signals
from students.models import AvailabilityWindow, StudentProfile, StudentSkill
from students.validators import validate_resume

SCHOOL_FIELDS = ["school", "school_type", "programme", "graduation_year", "bio"]
AVAILABILITY_FIELDS = ["hours_per_week", "location_preference", "city", "state"]
LINK_FIELDS = ["portfolio_url", "linkedin_url", "github_url", "discoverable", "portfolio_public"]
DELETED_MESSAGE = "[deleted]"


def _require_student(user: User):
    if not user.is_authenticated or not user.is_student:
        raise PermissionDenied("Only students have a student profile.")


def _require_owner(user: User, profile: StudentProfile):
    if profile.user_id != user.pk:
        raise PermissionDenied("This is not your profile.")


def get_or_create_profile(*, actor: User) -> StudentProfile:
    _require_student(actor)
    profile, _ = StudentProfile.objects.get_or_create(user=actor)
    return profile


def _update(profile: StudentProfile, data: dict, fields):
    for name in fields:
        if name in data:
            setattr(profile, name, data[name])
    profile.save(update_fields=[name for name in fields if name in data] + ["updated_at"])


@transaction.atomic
def save_school(*, actor: User, profile: StudentProfile, data: dict) -> StudentProfile:
    _require_owner(actor, profile)
    _update(profile, data, SCHOOL_FIELDS)
    return profile


@transaction.atomic
def save_skills(*, actor: User, profile: StudentProfile, skills: list) -> StudentProfile:
    """Replace the student's skills with `skills`, a list of (Skill, level) pairs."""
    _require_owner(actor, profile)
    profile.skills.all().delete()
    StudentSkill.objects.bulk_create(StudentSkill(profile=profile, skill=skill, level=level) for skill, level in skills)
    profile.save(update_fields=["updated_at"])
    signals.profile_changed.send(sender=StudentProfile, profile=profile)
    return profile


@transaction.atomic
def save_interests(*, actor: User, profile: StudentProfile, interests) -> StudentProfile:
    _require_owner(actor, profile)
    profile.interests.set(interests)
    profile.save(update_fields=["updated_at"])
    signals.profile_changed.send(sender=StudentProfile, profile=profile)
    return profile


def overlapping_windows(windows: list) -> list[tuple]:
    """Pairs of (start, end) ranges that share at least one day, in date order."""
    ordered = sorted(windows)
    return [(earlier, later) for earlier, later in pairwise(ordered) if later[0] <= earlier[1]]


@transaction.atomic
def save_availability(*, actor: User, profile: StudentProfile, data: dict, windows: list) -> StudentProfile:
    """Save hours, location and the date ranges, a list of (starts_on, ends_on) pairs that replaces the old ones."""
    _require_owner(actor, profile)
    if any(ends_on < starts_on for starts_on, ends_on in windows):
        raise ValidationError("A date range can't end before it starts.")
    if overlapping_windows(windows):
        raise ValidationError("Date ranges can't overlap.")
    _update(profile, data, AVAILABILITY_FIELDS)
    profile.availability.all().delete()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(profile=profile, starts_on=starts_on, ends_on=ends_on) for starts_on, ends_on in windows
    )
    signals.profile_changed.send(sender=StudentProfile, profile=profile)
    return profile


def _delete_file_on_commit(field_file):
    if field_file:
        storage, name = field_file.storage, field_file.name
        # robust: the profile change is saved; a storage that fails to delete is logged, not an error page.
        transaction.on_commit(lambda: storage.delete(name), robust=True)


@transaction.atomic
def save_links(
    *, actor: User, profile: StudentProfile, data: dict, resume=None, remove_resume: bool = False
) -> StudentProfile:
    """Save links and sharing choices; store a new résumé (replacing the old file) or remove it.

    A résumé that isn't a safe, complete PDF raises ValidationError keyed "resume" and nothing is saved.
    """
    _require_owner(actor, profile)
    if resume is not None:
        try:
            validate_resume(resume)
        except ValidationError as error:
            raise ValidationError({"resume": error}) from error
    for name in LINK_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    if resume is not None or remove_resume:
        _delete_file_on_commit(profile.resume)
        profile.resume = None
        profile.resume_filename = ""
        profile.resume_uploaded_at = None
    if resume is not None:
        profile.resume.save(resume.name, resume, save=False)
        profile.resume_filename = os.path.basename(resume.name)[:200]
        profile.resume_uploaded_at = timezone.now()
    profile.save()
    signals.profile_changed.send(sender=StudentProfile, profile=profile)
    return profile


@transaction.atomic
def finish_onboarding(*, actor: User, profile: StudentProfile) -> str | None:
    """Mark onboarding complete once every earlier step is done; return the first step still missing, if any."""
    _require_owner(actor, profile)
    missing = completeness.first_incomplete_step(profile, include_last=False)
    if missing is None and not profile.is_onboarded:
        profile.onboarding_completed_at = timezone.now()
        profile.save(update_fields=["onboarding_completed_at", "updated_at"])
    signals.profile_changed.send(sender=StudentProfile, profile=profile)
    return missing


@transaction.atomic
def set_portfolio_sharing(*, actor: User, profile: StudentProfile, public: bool) -> StudentProfile:
    _require_owner(actor, profile)
    profile.portfolio_public = public
    profile.save(update_fields=["portfolio_public", "updated_at"])
    return profile


@transaction.atomic
def delete_student_account(*, actor: User) -> None:
    """Remove a student's personal data and their login; businesses keep anonymised records.

    - the résumé file is deleted from storage once the transaction commits;
    - profile, skills, interests and availability go;
    - applications stay for the business's records with the cover note and answers blanked,
      and lose their student when the user row goes (SET_NULL);
    - engagements, accepted work, payment dates and feedback stay, with no student attached;
    - the student's messages stay in the thread (so the business's replies still make sense) with
      the text replaced by "[deleted]";
    - notifications, email addresses and sessions go with the user.
    """
    _require_student(actor)
    profile = StudentProfile.objects.filter(user=actor).first()
    if profile is not None:
        _delete_file_on_commit(profile.resume)
        profile.delete()
    Application.objects.filter(student=actor).update(cover_note="", answers=[])
    Message.objects.filter(author=actor).update(body=DELETED_MESSAGE)
    actor.delete()

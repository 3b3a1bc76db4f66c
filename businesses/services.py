"""Writes for business partners: registration and staff moderation."""

from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from activity.services import record_status_change
from businesses import signals
from businesses.enums import BUSINESS_TRANSITIONS, BusinessStatus
from businesses.models import Business, Membership
from notifications.enums import Kind
from notifications.services import notify_business, notify_staff

REASON_REQUIRED = {BusinessStatus.REJECTED, BusinessStatus.SUSPENDED}


def normalise_domain(website: str) -> str:
    """`https://www.Example.org/about` → `example.org`, so one organisation can't register twice."""
    if not website:
        return ""
    host = (urlsplit(website if "//" in website else f"//{website}").hostname or "").lower()
    return host.removeprefix("www.")


def duplicate_business_errors(*, website: str = "", ein: str = "", exclude_pk: int | None = None) -> dict:
    """Field errors for an organisation that is already registered, keyed by form field."""
    errors = {}
    others = Business.objects.exclude(pk=exclude_pk) if exclude_pk else Business.objects.all()
    domain = normalise_domain(website)
    if domain and others.filter(website_domain=domain).exists():
        errors["website"] = (
            f"An organisation with the website {domain} is already registered. "
            "If it's yours, ask its owner to add you, or contact us."
        )
    if ein and others.filter(ein=ein).exists():
        errors["ein"] = "An organisation with this EIN is already registered. If it's yours, contact us."
    return errors


def register_business(*, actor: User, data: dict) -> Business:
    """Create a pending business owned by `user` and tell staff it is waiting for review."""
    if hasattr(actor, "membership"):
        raise ValidationError("Your account already belongs to an organisation.")
    errors = duplicate_business_errors(website=data.get("website", ""), ein=data.get("ein", ""))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            business = Business(**data)
            business.website_domain = normalise_domain(business.website)
            business.status = BusinessStatus.PENDING
            business.save()
            Membership.objects.create(user=actor, business=business, title=data.get("contact_title", ""))
            if actor.role != Role.BUSINESS:
                actor.role = Role.BUSINESS
                actor.save(update_fields=["role"])
            record_status_change(
                actor=actor, target=business, from_state="", to_state=BusinessStatus.PENDING, reason="Registered"
            )
            notify_staff(
                kind=Kind.BUSINESS_REVIEW,
                title=f"New partner registration: {business.name}",
                body=f"{business.get_org_type_display()} in {business.get_industry_display()}, "
                f"registered by {business.contact_name} ({business.contact_email}).",
                url=reverse("admin:businesses_business_change", args=[business.pk]),
            )
    except IntegrityError as error:
        # Two registrations of the same organisation racing past the check above.
        raise ValidationError(
            duplicate_business_errors(website=data.get("website", ""), ein=data.get("ein", ""))
            or "This organisation is already registered."
        ) from error
    return business


def register_with_new_login(*, email: str, password: str, full_name: str, data: dict) -> User | None:
    """The partner form filled in by someone not signed in: their login and their pending business, together.

    Returns the new user (email not yet confirmed), or None when the email already has an account: then nothing
    is created and the caller must answer exactly as for a new email (allauth then emails that address to log in
    and register from there), so the form never tells anyone which addresses have accounts.
    """
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(email__iexact=email).exists():
        # Hash the password anyway: creating a login takes this long, and the answer must take as long.
        make_password(password)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, full_name=full_name, role=Role.BUSINESS)
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            register_business(actor=user, data=data)
    except IntegrityError:
        # The same email registering twice at once: the other request won, so this one is "already registered".
        if User.objects.filter(email__iexact=email).exists():
            return None
        raise
    return user


DECISION_MESSAGES = {
    BusinessStatus.APPROVED: (
        "{name} is approved",
        "Your organisation is approved. You can now post paid micro-internships for students.",
    ),
    BusinessStatus.REJECTED: (
        "{name} was not approved",
        "We couldn't approve your organisation's registration.",
    ),
    BusinessStatus.SUSPENDED: (
        "{name} is suspended",
        "Your organisation's account is suspended; its projects are hidden from students.",
    ),
}


def transition_business(*, actor: User | None, business: Business, to_status: str, reason: str = "") -> Business:
    """The one way a business changes state: checks the move, records it, tells the owners."""
    reason = (reason or "").strip()
    with transaction.atomic():
        business = Business.objects.select_for_update().get(pk=business.pk)
        from_status = business.status
        if to_status not in BUSINESS_TRANSITIONS.get(from_status, set()):
            raise ValidationError(
                f"A business that is {business.get_status_display().lower()} can't be moved to "
                f"{BusinessStatus(to_status).label.lower()}."
            )
        if to_status in REASON_REQUIRED and not reason:
            raise ValidationError("Give a reason: the organisation will see it.")
        business.status = to_status
        business.status_reason = reason
        business.status_changed_at = timezone.now()
        business.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
        record_status_change(actor=actor, target=business, from_state=from_status, to_state=to_status, reason=reason)
        title, body = DECISION_MESSAGES[to_status]
        if reason:
            body = f"{body}\n\nReason: {reason}"
        notify_business(
            business=business,
            kind=Kind.BUSINESS_DECISION,
            title=title.format(name=business.name),
            body=body,
            url=reverse("businesses:dashboard"),
        )
        signals.business_status_changed.send(
            sender=Business, business=business, from_status=from_status, to_status=to_status, actor=actor, reason=reason
        )
    return business

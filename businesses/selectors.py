from django.http import Http404

from accounts.models import User
from businesses.models import Business


def business_for(user: User) -> Business | None:
    """The business the user acts for, or None."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.business if membership else None


def business_for_or_404(user: User) -> Business:
    business = business_for(user)
    if business is None:
        raise Http404("You don't belong to an organisation.")
    return business

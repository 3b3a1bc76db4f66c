from django.http import Http404

from accounts.models import User
from businesses.models import Business, Membership


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


def member_ids(business_ids) -> list[int]:
    """The people who act for these businesses (ids, or a query of ids)."""
    return list(Membership.objects.filter(business_id__in=business_ids).values_list("user_id", flat=True))

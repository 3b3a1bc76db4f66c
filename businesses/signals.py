"""What happens to business partners, for the apps built on top of businesses to react to.

Sent by businesses.services inside the transaction that made the change.
"""

from django.dispatch import Signal

# A business was approved, rejected, suspended or reinstated. Sent with `business`, `from_status`,
# `to_status`, `actor` and `reason`.
business_status_changed = Signal()

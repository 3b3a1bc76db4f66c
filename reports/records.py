"""Each approved business's public record: does it complete work, answer applicants and pay on time?

Shown on its public page and on each of its project pages, so a student sees it before applying. The worker
refreshes every record hourly (`refresh_records`); a page that finds none computes it once and keeps it.
"""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q

from businesses.enums import BusinessStatus
from businesses.models import Business
from engagements.enums import EngagementStatus
from engagements.models import Engagement
from projects.enums import ApplicationStatus
from projects.models import Application

# Enough history to judge by: before this a business is shown as a new partner.
ENOUGH_COMPLETED_ENGAGEMENTS = 3
ENOUGH_APPLICATIONS = 10
RECORD_CACHE_SECONDS = 2 * 60 * 60  # beat refreshes hourly; a missed run leaves a record at most two hours old


@dataclass(frozen=True)
class BusinessRecord:
    completed_engagements: int
    applications: int
    median_days_to_answer: float | None
    answered_share: float | None
    paid_on_time_share: float | None

    @property
    def is_new_partner(self) -> bool:
        return self.completed_engagements < ENOUGH_COMPLETED_ENGAGEMENTS and self.applications < ENOUGH_APPLICATIONS


def compute_record(business_id: int) -> BusinessRecord:
    applications = Application.objects.filter(project__business_id=business_id)
    # Applicants the business owed an answer: not those still waiting for a first look, nor those withdrawn first.
    unanswered = Q(first_response_at__isnull=True) & ~Q(status=ApplicationStatus.ACCEPTED)
    owed = ~(unanswered & Q(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN]))
    counts = applications.aggregate(
        total=Count("pk"),
        owed=Count("pk", filter=owed),
        answered=Count("pk", filter=~unanswered),
    )
    waits = [
        (answered - applied).total_seconds() / 86400
        for applied, answered in applications.filter(first_response_at__isnull=False).values_list(
            "created_at", "first_response_at"
        )
    ]
    completed = Engagement.objects.filter(business_id=business_id, status=EngagementStatus.COMPLETED).aggregate(
        done=Count("pk"),
        on_time=Count(
            "pk",
            filter=Q(
                payment_sent_at__isnull=False,
                payment_received_at__isnull=False,
                payment_received_at__lte=F("completed_at") + timedelta(days=settings.C2C_PAYMENT_OVERDUE_DAYS),
            ),
        ),
    )
    return BusinessRecord(
        completed_engagements=completed["done"],
        applications=counts["total"],
        median_days_to_answer=round(median(waits), 1) if waits else None,
        answered_share=counts["answered"] / counts["owed"] if counts["owed"] else None,
        paid_on_time_share=completed["on_time"] / completed["done"] if completed["done"] else None,
    )


def _key(business_id: int) -> str:
    return f"business-record:{business_id}"


def record_for(business_id: int) -> BusinessRecord:
    return cache.get_or_set(_key(business_id), lambda: compute_record(business_id), RECORD_CACHE_SECONDS)


def refresh_records() -> int:
    """Recompute every approved business's record (the hourly beat task)."""
    ids = list(Business.objects.filter(status=BusinessStatus.APPROVED).values_list("pk", flat=True))
    for business_id in ids:
        cache.set(_key(business_id), compute_record(business_id), RECORD_CACHE_SECONDS)
    return len(ids)

"""Reports answer the project page's question about a business's record."""

from django.dispatch import receiver

from projects.signals import business_record_wanted
from reports.records import record_for


@receiver(business_record_wanted, dispatch_uid="reports-business-record")
def answer_business_record(sender, *, business, **kwargs):
    return record_for(business.pk)

import csv

from django.conf import settings
from django.contrib import admin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from businesses.enums import BusinessStatus
from businesses.models import Business
from c2c.money import usd
from c2c.page_cache import cached_page
from projects.enums import Category
from projects.selectors import published_projects
from reports.charts import bar_chart
from reports.exports import figure_rows, monthly_rows
from reports.figures import Report, impact_report
from reports.forms import ReportForm
from reports.records import record_for
from students.enums import SchoolType


def _report(request) -> tuple[ReportForm, Report]:
    form = ReportForm(request.GET or None)
    return form, impact_report(form.period())


def impact(request):
    """The impact report for staff (reached through admin.site.admin_view, so staff only, second factor and all)."""
    form, report = _report(request)
    monthly_placements = [
        (f"{row['month']:%b %Y}", row["placements"], row["placements_shown"]) for row in report.monthly
    ]
    monthly_paid = [(f"{row['month']:%b %Y}", float(row["paid"]), usd(row["paid"])) for row in report.monthly]
    context = {
        **admin.site.each_context(request),
        "title": "Impact report",
        "form": form,
        "report": report,
        "student_chart": bar_chart([(figure.name, figure.value, figure.shown) for figure in report.student_funnel]),
        "business_chart": bar_chart([(figure.name, figure.value, figure.shown) for figure in report.business_funnel]),
        "placement_chart": bar_chart(monthly_placements),
        "paid_chart": bar_chart(monthly_paid),
        "groups": [
            {
                "title": title,
                "funnels": funnels,
                "chart": bar_chart(
                    [(group.label, group.paid_share.value, group.paid_share.shown) for group in funnels]
                ),
            }
            for title, funnels in report.groups.items()
        ],
        "category": Category(report.period.category).label if report.period.category else "",
        "school_type": SchoolType(report.period.school_type).label if report.period.school_type else "",
        "querystring": request.GET.urlencode(),
    }
    return render(request, "reports/impact.html", context)


def _csv(request, name: str, rows_of) -> HttpResponse:
    """The report for the request's period as a CSV download: `rows_of(report)` gives its rows."""
    _, report = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{name}-{report.period.since}-to-{report.period.until}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv.writer(response).writerows(rows_of(report))
    return response


def figures_csv(request):
    """Every figure of the report, one row each: its name, its group and its value as the page shows it."""
    return _csv(request, "impact", figure_rows)


def monthly_csv(request):
    return _csv(request, "impact-monthly", monthly_rows)


@cached_page
def business_page(request, pk):
    """An approved business's public page: who it is, its open projects and its record."""
    business = get_object_or_404(Business, pk=pk, status=BusinessStatus.APPROVED)
    # Each card names the business: one join, not a query per card.
    projects = published_projects().filter(business=business).select_related("business")
    page = Paginator(projects.order_by("-published_at", "-pk"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/business.html",
        {
            "business": business,
            "page_obj": page,
            "record": record_for(business.pk),
            "overdue_days": settings.C2C_PAYMENT_OVERDUE_DAYS,
        },
    )

import sys

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from c2c import health, outages


@never_cache
@require_GET
def healthz(request):
    report = health.status()
    return JsonResponse(report, status=200 if report["database"] == health.OK else 503)


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /accounts/", "Disallow: /notifications/", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@require_GET
def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    # Django's own page has inline styles, which the site's Content-Security-Policy blocks.
    return render(request, "403_csrf.html", status=403)


def _without_request(template: str, status: int) -> HttpResponse:
    # No request context: the failure may be the database the context processors need.
    context = {"SITE_NAME": settings.SITE_NAME, "SOURCE_CODE_URL": settings.SOURCE_CODE_URL}
    return HttpResponse(render_to_string(template, context), status=status)


def server_error(request):
    # Django calls this inside its `except`, so the error is at hand: an unreachable database
    # anywhere (a middleware reading the session, say) gets the same 503 as in a view.
    if outages.is_database_outage(sys.exc_info()[1]):
        return database_unavailable()
    return _without_request("500.html", 500)


def database_unavailable() -> HttpResponse:
    response = _without_request("503.html", 503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response

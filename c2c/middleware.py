"""Project-wide middleware: health checks that ignore Host and HTTPS, request ids, database outages,
the Permissions-Policy header, kept pages following what someone does."""

import logging
import time
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import BadRequest

from c2c import outages, request_ids, views
from c2c.page_cache import READ_METHODS, people_changed

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("c2c.requests")


class HealthCheckMiddleware:
    """Answer `/healthz` before host validation and the HTTPS redirect.

    Container and load-balancer checks call the app by its internal address over plain HTTP, so
    they would get a 400 (unknown Host) or a 301 (to https) from the rest of the stack. The answer
    holds no links, so the Host it came with does not matter. Goes first in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return views.healthz(request)
        return self.get_response(request)


class RequestIdMiddleware:
    """Give each request an id (a sane incoming X-Request-ID, or a new one), for logs and the tasks it enqueues.

    Also writes the access log: one line per request, with its id, so it can be joined to the rest.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_ids.accept(request.headers.get("X-Request-ID"))
        token = request_ids.current.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = loggable_path(request)
            request_logger.info(
                "%s %s %s %sms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
        finally:
            request_ids.current.reset(token)
        return response


class RejectNulMiddleware:
    """A NUL character in the path or query string is never part of a real link, and Postgres refuses it in
    any query (a 500 wherever a view filters on a parameter, admin list filters included): answer 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            raise BadRequest("NUL character in the URL")
        return self.get_response(request)


# URL arguments that are secrets: email confirmation and password reset keys, unsubscribe and portfolio tokens.
SECRET_URL_ARGUMENTS = {"key", "token", "uidb36"}


def loggable_path(request) -> str:
    """The request's path with any secret in it replaced, so a log reader can't use the link."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match else ():
        if name in SECRET_URL_ARGUMENTS and value:
            path = path.replace(str(value), "[secret]")
    return path


class DatabaseUnavailableMiddleware:
    """A view that can't reach the database answers with the 503 page, not a traceback.

    Failures outside views (in other middleware) reach `c2c.views.server_error`, which gives the same page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not outages.is_database_outage(exception):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return views.database_unavailable()


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy` from settings.PERMISSIONS_POLICY: feature → allowed origins (empty: nobody)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.setdefault("Permissions-Policy", self.header)
        return response


class OwnChangesMiddleware:
    """What someone does shows at once on their own kept pages (c2c.page_cache): any request that may change
    something moves on the generation of whoever made it, and of whoever it signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in READ_METHODS:
            return self.get_response(request)
        before = request.user.pk
        response = self.get_response(request)
        people_changed([before, request.user.pk])
        return response

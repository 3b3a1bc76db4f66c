"""Whole pages kept for up to a minute for visitors who aren't signed in: the catalogue's busiest readers.

Only a GET or HEAD that carries no session or messages cookie is served from it (nothing on such a page can
be someone's own), and only a 200 that sets no cookie, carries no CSRF token and adds no message is kept.
Any change to the catalogue moves its generation on (see projects.receivers), so the next visitor sees it at
once; the minute bounds the rest (an apply-by date passing, a business's record being refreshed).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache

VISITOR_PAGE_SECONDS = 60
GENERATION_KEY = "catalogue-generation"
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def catalogue_changed() -> None:
    """Every cached visitor page is now stale: the next request for each builds it again."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # never set, or evicted: any new value starts a fresh generation
        cache.set(GENERATION_KEY, 1, None)


def _generation() -> int | None:
    return cache.get_or_set(GENERATION_KEY, 1, None)


def _personal(request) -> bool:
    return request.method not in ("GET", "HEAD") or any(name in request.COOKIES for name in PERSONAL_COOKIES)


def _keepable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "_messages", None), "added_new", False)
    )


def cached_for_visitors(view):
    @wraps(view)
    def serve(request, *args, **kwargs):
        generation = None if _personal(request) else _generation()
        if generation is None:  # someone's own page, or the cache is unreachable
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"visitor-page:{generation}:{request.method}:{path}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if _keepable(request, response):
                cache.set(key, response, VISITOR_PAGE_SECONDS)
        return response

    return serve

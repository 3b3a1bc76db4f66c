"""Whole pages kept for up to a minute: visitors' catalogue pages, and each signed-in person's own pages.

Only a GET or HEAD is served from it, and never while a message waits to be shown. A page is kept only when
it is a 200 that sets no cookie, adds no message and leaves the session as it was.

Visitors (no session cookie) share one copy of each page; one that carries a CSRF token is never kept.
Signed-in people each have their own copies, keyed by who they are and by their browser's CSRF secret, so a
kept page's form tokens are the ones that browser sends back. Two generations make copies stale:
- the catalogue's, moved on by any change to it (see projects.receivers): the next reader sees it at once;
- each person's, moved on by anything they do (any request that isn't a GET or HEAD, see
  c2c.middleware.OwnChangesMiddleware) and by what others do to them: an application of theirs or their
  business's moving, a notification, new matches, a change to their account, profile or business (the
  receivers of each app call `people_changed`).
The minute bounds the rest: an apply-by date passing, a business's record being refreshed, "3 days ago".
"""

import hashlib
import uuid
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.db import transaction

PAGE_SECONDS = 60
CATALOGUE_GENERATION = "catalogue-generation"
# Longer than any page lives: a person's generation that expires is replaced by a new one, which is also safe.
PERSON_GENERATION_SECONDS = 24 * 60 * 60
READ_METHODS = ("GET", "HEAD")


def _person_generation(user_id: int) -> str:
    return f"person-generation:{user_id}"


def _new_generation() -> str:
    # Never reused (unlike a counter that restarts when its key is evicted), so old pages can't come back.
    return uuid.uuid4().hex[:16]


def catalogue_changed() -> None:
    """Every kept catalogue page is now stale: the next request for each builds it again."""
    cache.set(CATALOGUE_GENERATION, _new_generation(), None)


def catalogue_generation() -> str:
    """The catalogue's current generation, for caching parts of pages that change with it."""
    return str(_generations({CATALOGUE_GENERATION: None})[0])


def people_changed(user_ids: Iterable[int | None]) -> None:
    """Each of these people's kept pages is stale once the current transaction commits."""
    keys = {_person_generation(user_id) for user_id in user_ids if user_id}
    if keys:
        # robust: the change is saved; a cache that can't be reached only means old pages live out their minute.
        transaction.on_commit(
            lambda: cache.set_many(dict.fromkeys(keys, _new_generation()), PERSON_GENERATION_SECONDS), robust=True
        )


def _generations(timeouts: dict[str, int | None]) -> list[str]:
    found = cache.get_many(list(timeouts))
    return [found.get(key) or cache.get_or_set(key, _new_generation, timeout) for key, timeout in timeouts.items()]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _page_key(request) -> str | None:
    """Where this request's page is kept, or None when it must be built for this request alone."""
    # A deleted cookie may still come back empty.
    if request.method not in READ_METHODS or request.COOKIES.get(CookieStorage.cookie_name):
        return None
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        scope, generations = "visitor", {CATALOGUE_GENERATION: None}
    else:
        user = request.user
        secret = request.META.get("CSRF_COOKIE")
        if (
            not user.is_authenticated  # a session with no one signed in: a form half-way, say
            or SessionStorage.session_key in request.session
            or not secret
            or secret != request.COOKIES.get(settings.CSRF_COOKIE_NAME)  # the browser is being sent a new one
        ):
            return None
        scope = f"person:{user.pk}:{_digest(secret)[:16]}"
        generations = {CATALOGUE_GENERATION: None, _person_generation(user.pk): PERSON_GENERATION_SECONDS}
    generation = ":".join(map(str, _generations(generations)))
    return f"page:{scope}:{generation}:{request.method}:{_digest(request.get_full_path())}"


def _keepable(request, response) -> bool:
    if response.status_code != 200 or response.cookies:
        return False
    if getattr(getattr(request, "_messages", None), "added_new", False):
        return False
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    # The tokens on the page were made from the secret in the key, and the session needs nothing saved.
    return request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME) and (
        not request.session.modified
    )


def cached_page(view):
    """Serve the view's page from the cache when it may be, and keep what it builds when it may be."""

    @wraps(view)
    def serve(request, *args, **kwargs):
        key = _page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if _keepable(request, response):
                cache.set(key, response, PAGE_SECONDS)
        return response

    return serve

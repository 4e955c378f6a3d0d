"""Whole-page cache for visitors who are not signed in.

A public page (the home page, news, the course catalogue, a course, the public course
API) is the same for every visitor who is not signed in, in a given language. Its view
says so the standard way, by marking the response `Cache-Control: public, max-age=N`
(`public_for_visitors` below); `AnonymousPageCacheMiddleware` then keeps the finished
response — body and headers, security headers included — in the cache and answers the
next visitor from there before the rest of the middleware runs.

What keeps personal data out of it:

- only requests without a session, a messages cookie or an API token are served or
  stored: the key is (scheme, host, path and query, language); a request carrying any other
  cookie goes through the whole stack as usual;
- only responses that say `public` are stored, and `PrivateCacheControlMiddleware`
  marks every response to a signed-in person `private, no-store`;
- a response that sets a cookie (a CSRF token, a session, a language), or whose page
  used the visitor's CSRF token, is never stored.

What keeps it fresh: each entry records the CMS version token (portal.bench.cache)
under which it was rendered, and is ignored once that token changes — on every publish,
unpublish, move or delete of a page. Content that is not a page (a class's places left,
say) is at most `max-age` seconds old (settings.XY_PUBLIC_PAGE_SECONDS, a minute).

Each app server process also keeps the pages it served in its own memory for
settings.XY_PAGE_CACHE_LOCAL_SECONDS (2 s), which saves the round trip to the shared
cache on busy pages: a publish is seen at once by the process that published and
within those seconds by every other.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_max_age, patch_cache_control

from portal.bench.cache import KEY as CMS_VERSION_KEY
from portal.bench.cache import cms_version

PREFIX = "xy:page:"
# Cookies a visitor may carry and still get the shared page: the language choice (part of
# the key) and the CSRF cookie left by a visit to a form (cached pages hold no token).
NEUTRAL_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})
# Hop-by-hop or per-response headers that are not replayed.
SKIPPED_HEADERS = frozenset({"date", "set-cookie", "connection"})
LOCAL_ENTRIES = 500  # pages a process keeps in its own memory, at most

# key -> (monotonic time it is good until, entry): this process's own short-lived copies.
_local: dict[str, tuple[float, tuple]] = {}


def forget_local() -> None:
    """Drop this process's copies (called when any page is published, moved or deleted)."""
    _local.clear()


def _remember(key: str, entry: tuple) -> None:
    seconds = settings.XY_PAGE_CACHE_LOCAL_SECONDS
    if seconds <= 0:
        return
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()
    _local[key] = (time.monotonic() + seconds, entry)


def public_for_visitors(request, response, max_age: int | None = None):
    """Mark a response as the same for every visitor who is not signed in, so shared
    caches (this one, a proxy's) may keep it. Does nothing for a signed-in person, an API
    token, a preview or a response that is not a plain 200."""
    user = getattr(request, "user", None)
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or getattr(response, "streaming", False)
        or (user is not None and user.is_authenticated)
        or "HTTP_AUTHORIZATION" in request.META
        or getattr(request, "is_preview", False)
    ):
        return response
    seconds = settings.XY_PUBLIC_PAGE_SECONDS if max_age is None else max_age
    patch_cache_control(response, public=True, max_age=seconds)
    return response


def rebuilt(status: int, headers, content: bytes) -> HttpResponse:
    """A kept response as it was (also used by portal/privatecache.py)."""
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


class AnonymousPageCacheMiddleware:
    """Serve and store whole public pages for visitors (see the module's docstring).
    Placed right after SecurityMiddleware, so HTTPS redirects still come first."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def key_for(self, request) -> str | None:
        if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
            return None
        cookies = request.COOKIES
        if cookies and not NEUTRAL_COOKIES.issuperset(cookies):
            return None
        language = cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        # Host and scheme: the public course API writes absolute addresses.
        raw = "\n".join((request.scheme, request.META.get("HTTP_HOST", ""), language,
                         request.get_full_path()))
        return PREFIX + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()

    def __call__(self, request):
        key = self.key_for(request) if settings.XY_PAGE_CACHE else None
        if key is None:
            return self.get_response(request)
        mine = _local.get(key)
        if mine is not None and mine[0] > time.monotonic():
            return self.replay(mine[1])
        found = cache.get_many([CMS_VERSION_KEY, key])
        version, entry = found.get(CMS_VERSION_KEY), found.get(key)
        if entry is not None and version is not None and entry[0] == version:
            _remember(key, entry)
            return self.replay(entry)
        response = self.get_response(request)
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            # The page holds a CSRF token (it reveals the visitor's CSRF secret): never
            # shared, even when the visitor's cookie needed no renewal.
            return response
        entry = self.store(key, version, response)
        if entry is not None:
            _remember(key, entry)
        return response

    @staticmethod
    def replay(entry) -> HttpResponse:
        _version, status, headers, content = entry
        return rebuilt(status, headers, content)

    @staticmethod
    def store(key: str, version: str | None, response) -> tuple | None:
        """Keep a response that may be shared; the entry kept, or None."""
        if response.status_code != 200 or getattr(response, "streaming", False):
            return None
        if response.cookies:
            return None
        control = response.get("Cache-Control", "")
        if "public" not in control or "private" in control or "no-store" in control:
            return None
        seconds = get_max_age(response)
        if not seconds or seconds <= 0:
            return None
        if version is None:
            version = cms_version()
        headers = [(name, value) for name, value in response.items()
                   if name.lower() not in SKIPPED_HEADERS]
        entry = (version, response.status_code, headers, response.content)
        cache.set(key, entry, min(seconds, settings.XY_PUBLIC_PAGE_SECONDS))
        return entry


class PublicPageMixin:
    """For Wagtail page types: what a visitor who is not signed in gets of a live page is
    the same for every such visitor, so it may be cached whole (see the module's
    docstring). Pages under a view restriction never reach serve() for a visitor without
    a session, and visitors with one are not served from the cache."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return public_for_visitors(request, response)

    def get_view_restrictions(self):
        # Kept per process while no page above has a restriction (portal/ops/pagerouting).
        from portal.ops.pagerouting import view_restrictions

        kept = view_restrictions(self)
        return super().get_view_restrictions() if kept is None else kept

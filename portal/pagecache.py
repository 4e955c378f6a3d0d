"""Whole-page cache for visitors who are not signed in.

A public page (the home page, news, the course catalogue, a course, the public course
API) is the same for every visitor who is not signed in, in a given language. Its view
says so the standard way, by marking the response `Cache-Control: public, max-age=N`
(`public_for_visitors`); `AnonymousPageCacheMiddleware` then keeps the finished response,
security headers included, in Django's cache and answers the next visitor from there
before the rest of the middleware runs.

What keeps personal data out of it:

- only requests without a session, a messages cookie or an API token are served or
  stored; the key is the scheme, host, path and query and the language;
- only responses that say `public` are stored, and `PrivateCacheControlMiddleware`
  marks every response to a signed-in person `private, no-store`;
- a response that sets a cookie (a CSRF token, a session, a language), or whose page
  used the visitor's CSRF token, is never stored.

What keeps it fresh: each entry carries the CMS version (`cms_version`) it was rendered
under and is ignored once that changes, which Wagtail's signals do on every publish,
unpublish, move or delete of a page. Content that is not a page (a class's places left)
is at most settings.XY_PUBLIC_PAGE_SECONDS old. Templates key `{% wagtailpagecache %}`
fragments that list other pages on the same version (`{% cms_version %}`, cms_tags).
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_max_age, patch_cache_control

from portal.middleware import language_for

PREFIX = "xy:page:"
CMS_VERSION_KEY = "xy:cms-version"
# Cookies a visitor may carry and still get the shared page: the language choice (part of
# the key) and the CSRF cookie left by a visit to a form (cached pages hold no token).
NEUTRAL_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})
# Per-response headers that are not replayed.
SKIPPED_HEADERS = frozenset({"date", "set-cookie", "connection"})


def cms_version() -> str:
    """A token that changes whenever any page is published, unpublished, moved or
    deleted."""
    token = cache.get(CMS_VERSION_KEY)
    if token is None:
        cache.add(CMS_VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(CMS_VERSION_KEY)
    return token


def cms_changed(**kwargs) -> None:
    cache.set(CMS_VERSION_KEY, uuid.uuid4().hex, None)


def connect() -> None:
    from django.db.models.signals import post_delete
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(cms_changed, dispatch_uid="xy-cms-version-published")
    page_unpublished.connect(cms_changed, dispatch_uid="xy-cms-version-unpublished")
    post_page_move.connect(cms_changed, dispatch_uid="xy-cms-version-moved")
    post_delete.connect(cms_changed, sender=Page, dispatch_uid="xy-cms-version-deleted")


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
    """A kept response as it was."""
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


class AnonymousPageCacheMiddleware:
    """Serve and store whole public pages for visitors (see the module's docstring).
    Placed right after SecurityMiddleware, so HTTPS redirects still come first and the
    kept page's CSP header matches the nonce in its body."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def key_for(request) -> str | None:
        if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
            return None
        cookies = request.COOKIES
        if cookies and not NEUTRAL_COOKIES.issuperset(cookies):
            return None
        # Host and scheme: the public course API writes absolute addresses.
        raw = "\n".join((request.scheme, request.get_host(), language_for(request),
                         request.get_full_path()))
        return PREFIX + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()

    def __call__(self, request):
        key = self.key_for(request) if settings.XY_PAGE_CACHE else None
        if key is None:
            return self.get_response(request)
        found = cache.get_many([CMS_VERSION_KEY, key])
        version, entry = found.get(CMS_VERSION_KEY), found.get(key)
        if entry is not None and version is not None and entry[0] == version:
            _version, status, headers, content = entry
            return rebuilt(status, headers, content)
        response = self.get_response(request)
        if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            # (A page that holds a CSRF token reveals the visitor's CSRF secret: never
            # shared, even when the visitor's cookie needed no renewal.)
            self.store(key, version, response)
        return response

    @staticmethod
    def store(key: str, version: str | None, response) -> bool:
        """Keep a response that may be shared; whether it was kept."""
        if response.status_code != 200 or getattr(response, "streaming", False):
            return False
        if response.cookies:
            return False
        control = response.get("Cache-Control", "")
        if "public" not in control or "private" in control or "no-store" in control:
            return False
        seconds = get_max_age(response)
        if not seconds or seconds <= 0:
            return False
        headers = [(name, value) for name, value in response.items()
                   if name.lower() not in SKIPPED_HEADERS]
        entry = (version or cms_version(), response.status_code, headers, response.content)
        cache.set(key, entry, min(seconds, settings.XY_PUBLIC_PAGE_SECONDS))
        return True


class PublicPageMixin:
    """For Wagtail page types: what a visitor who is not signed in gets of a live page is
    the same for every such visitor, so it may be cached whole. A page under a view
    restriction is answered by Wagtail's restriction check before serve(), so it is never
    marked public."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return public_for_visitors(request, response)

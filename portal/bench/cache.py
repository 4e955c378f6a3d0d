"""A version token for cached fragments of public CMS pages.

`{% wagtailpagecache %}` keys a fragment on the page's own cache_key (it changes when
that page is published), but a news index or the home page also shows *other* pages:
publishing, unpublishing, moving or deleting any page must retire those fragments too.
Every such event replaces the token; templates pass it to the cache tag as a vary-on
argument (`{% load xy_cache %}{% cms_version as v %}`), so stale fragments are never
read again and simply expire.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache

KEY = "xy:cms-version"


def cms_version() -> str:
    token = cache.get(KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(KEY, token, None)
        token = cache.get(KEY, token)
    return token


def cms_changed(**kwargs) -> None:
    from portal.pagecache import forget_local

    cache.set(KEY, uuid.uuid4().hex, None)
    forget_local()


def connect() -> None:
    from django.db.models.signals import post_delete
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(cms_changed, dispatch_uid="xy-cms-version-published")
    page_unpublished.connect(cms_changed, dispatch_uid="xy-cms-version-unpublished")
    post_page_move.connect(cms_changed, dispatch_uid="xy-cms-version-moved")
    post_delete.connect(cms_changed, sender=Page, dispatch_uid="xy-cms-version-deleted")

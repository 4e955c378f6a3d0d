"""Caching the shared parts of the catalogue (which courses match a filter, the cards,
the filter form, the providers). Everything personal (enrolled, recommended for you)
is keyed by the person or computed per request.

Keys carry the catalogue token (CatalogueVersion), which signal handlers replace on every
change that could alter what the catalogue shows; entries also expire after
CACHE_SECONDS, since "next class" and the time-of-day filters move on with the clock."""

from __future__ import annotations

import hashlib
import time
import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

CACHE_SECONDS = 300
PREFIX = "xy:courses:"


TOKEN_KEY = PREFIX + "token"
TOKEN_SECONDS = 60


def catalogue_token() -> str:
    """The current token: from the cache (shared by every process with Redis), else from
    the database. With a process-local cache another process may see a change up to
    TOKEN_SECONDS late; the database row stays the truth."""
    from portal import privatecache

    from .models import CatalogueVersion

    token = privatecache.read_early(TOKEN_KEY)  # read with the session, if it was
    if token is privatecache.MISSING or token is None:
        token = cache.get(TOKEN_KEY)
    if token is None:
        token = CatalogueVersion.objects.values_list("token", flat=True).first() or "none"
        cache.set(TOKEN_KEY, token, TOKEN_SECONDS)
    return token


def catalogue_changed(**_kwargs) -> None:
    from django.db import transaction

    from .models import CatalogueVersion

    token = uuid.uuid4().hex
    if not CatalogueVersion.objects.filter(pk=1).update(token=token,
                                                        changed_at=timezone.now()):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"token": token})
    cache.delete(TOKEN_KEY)
    # Readers between now and the commit would cache the old token again: forget it once
    # more when the change is visible to everyone.
    transaction.on_commit(lambda: cache.delete(TOKEN_KEY))


def key(*parts) -> str:
    """A cache key for `parts` in the active language: what is kept is mostly HTML with
    translated words in it (the cards' "study hours", the filter form's labels)."""
    digest = hashlib.sha1(repr((translation.get_language(), *parts)).encode()).hexdigest()
    return PREFIX + digest


def get_or_set(cache_key: str, compute):
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, CACHE_SECONDS)
    return value


# key -> (token, value, made at): this process's copies of get_current's entries.
_local: dict[str, tuple] = {}
LOCAL_MAX = 500


def forget_local() -> None:
    """Drop this process's copies (the tests: each starts from the migrated token)."""
    _local.clear()


def get_current(cache_key: str, compute, *, token: str | None = None):
    """`compute(token)` kept under `cache_key` (a key without the token) with the
    catalogue token it was made with: this process's copy when it was made with the
    current token, else the shared cache's, else made again and kept in both. An entry
    made with another token, or more than CACHE_SECONDS ago, is made again. `token`: the
    current token, when the caller read it already (then a process's copy costs no round
    trip at all)."""
    if token is None:
        token = catalogue_token()
    now = time.time()
    mine = _local.get(cache_key)
    if mine is not None and mine[0] == token and now - mine[2] < CACHE_SECONDS:
        return mine[1]
    entry = cache.get(cache_key)
    if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == token
            and now - entry[2] < CACHE_SECONDS):
        entry = (token, compute(token), now)
        cache.set(cache_key, entry, CACHE_SECONDS)
    if len(_local) >= LOCAL_MAX:
        _local.clear()
    _local[cache_key] = entry
    return entry[1]


def connect_signals() -> None:
    from wagtail.signals import page_unpublished, post_page_move

    from portal.organisations.models import Organisation, Unit

    from .models import (
        ClassSession,
        CourseCategory,
        CourseIndexPage,
        CoursePage,
        CourseProviderPage,
        LessonPage,
    )

    for model in (CoursePage, LessonPage, CourseIndexPage, CourseProviderPage, ClassSession,
                  CourseCategory, Unit, Organisation):
        uid = f"courses-catalogue-{model._meta.label_lower}"
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=uid + "-delete")
    page_unpublished.connect(catalogue_changed, dispatch_uid="courses-catalogue-unpublished")
    post_page_move.connect(catalogue_changed, dispatch_uid="courses-catalogue-moved")

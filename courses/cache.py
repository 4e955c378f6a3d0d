"""The catalogue's shared parts (which courses match a filter, the providers, a course's
outline, the cards' HTML fragments) kept in Django's cache under keys that carry the
catalogue version. Signal handlers give the version a new value on every change that
could alter what the catalogue shows; entries also expire after CACHE_SECONDS, since
"next class" and the time-of-day filters move on with the clock."""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

CACHE_SECONDS = 300
PREFIX = "xy:courses:"
VERSION_KEY = PREFIX + "version"
# A process-local cache may see another process's change this late; Redis at once.
VERSION_SECONDS = 60


def catalogue_version() -> str:
    """The current version: from the cache, else from its database row (the truth)."""
    from .models import CatalogueVersion

    version = cache.get(VERSION_KEY)
    if version is None:
        version = CatalogueVersion.objects.values_list("token", flat=True).first() or "none"
        cache.set(VERSION_KEY, version, VERSION_SECONDS)
    return version


def catalogue_changed(**_kwargs) -> None:
    from django.db import transaction

    from .models import CatalogueVersion

    version = uuid.uuid4().hex
    if not CatalogueVersion.objects.filter(pk=1).update(token=version,
                                                        changed_at=timezone.now()):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"token": version})
    cache.delete(VERSION_KEY)
    # A reader before the commit would cache the old version again: drop it once more.
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))


def cached(version: str, parts: tuple, compute):
    """`compute()` kept under the catalogue `version`, `parts` and the active language
    (what is kept holds translated words: the filter form's labels)."""
    raw = repr((translation.get_language(), version, *parts))
    key = PREFIX + hashlib.sha1(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


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

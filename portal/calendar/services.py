"""Private calendar addresses: make, show again, revoke, resolve."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import CalendarFeed, hash_token

_SALT = "portal.calendar.feed-token"


def _token_for(feed: CalendarFeed) -> str:
    return salted_hmac(_SALT, f"{feed.user_id}:{feed.nonce}", algorithm="sha256").hexdigest()


def feed_active(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def feed_create(*, user) -> tuple[CalendarFeed, str]:
    """A new address for `user`; any earlier one stops working."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    feed = CalendarFeed(user=user, nonce=secrets.token_urlsafe(24))
    raw = _token_for(feed)
    feed.token_hash = hash_token(raw)
    feed.save()
    return feed, raw


def feed_token(feed: CalendarFeed) -> str | None:
    """The token of an active address, or None if the server key changed since it was
    made (the person then makes a new one)."""
    raw = _token_for(feed)
    return raw if constant_time_compare(hash_token(raw), feed.token_hash) else None


def feed_token_ensure(*, user) -> str:
    """The token of the person's active address, making one if there is none."""
    feed = feed_active(user)
    raw = feed_token(feed) if feed else None
    if raw is None:
        _, raw = feed_create(user=user)
    return raw


def feed_revoke(*, user) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


def feed_resolve(raw: str):
    """The active user behind a token, or None (unknown, revoked or tampered)."""
    if not raw or len(raw) > 128:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True).first()
    )
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    return feed.user


def feed_path(raw: str) -> str:
    return reverse("calendar:feed", kwargs={"token": raw})

"""What goes into a person's calendar feed, from every app that has dates for them.

An app contributes with one call, usually in its AppConfig.ready():

    from portal.calendar.registry import CalendarItem, register
    register(events_for)          # events_for(user) -> Iterable[CalendarItem]

The feed (portal.calendar.views.feed) asks every registered provider and writes the
union as one RFC 5545 calendar. Providers return what the person should see now,
including recently cancelled items (cancelled=True) so that calendar apps remove them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

UID_DOMAIN = "xiangyang.portal"


@dataclass(frozen=True)
class CalendarItem:
    """One event. `uid` must be stable for the same thing across fetches (use
    make_uid); raise `sequence` whenever time, place or status changes."""

    uid: str
    summary: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date | None = None
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0
    last_modified: datetime.datetime | None = None
    categories: tuple[str, ...] = field(default_factory=tuple)


Provider = Callable[[object], Iterable[CalendarItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (idempotent, so ready() running twice does no harm)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)


def make_uid(kind: str, pk) -> str:
    """A UID that stays the same for the same object for ever: `course-session-12@…`."""
    return f"{kind}-{pk}@{UID_DOMAIN}"


def items_for(user) -> list[CalendarItem]:
    items: list[CalendarItem] = []
    for provider in _providers:
        items.extend(provider(user))
    return sorted(items, key=_sort_key)


def _sort_key(item: CalendarItem):
    start = item.start
    if not isinstance(start, datetime.datetime):
        start = datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)
    return (start, item.uid)

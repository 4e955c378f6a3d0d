"""Write CalendarItems as an RFC 5545 calendar (icalendar 7), in Asia/Shanghai time."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from .registry import CalendarItem

PRODID = "-//Xiangyang//Community corrections portal//ZH"


def _local(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value)  # TZID=Asia/Shanghai with a VTIMEZONE below
    return value


def build_calendar(items: Iterable[CalendarItem], *, name: str, uid: str,
                   refresh: datetime.timedelta | None = None) -> bytes:
    """`uid` names the calendar itself and must stay the same across fetches."""
    calendar = Calendar.new(name=str(name), prodid=PRODID, uid=uid, refresh_interval=refresh)
    if refresh is not None:
        # Outlook and Google read the older X- property, not REFRESH-INTERVAL.
        calendar.add("X-PUBLISHED-TTL", refresh)
    for item in items:
        event = Event.new(
            uid=item.uid,
            summary=item.summary,
            start=_local(item.start),
            end=_local(item.end) if item.end is not None else None,
            location=item.location or None,
            description=item.description or None,
            url=item.url or None,
            status="CANCELLED" if item.cancelled else "CONFIRMED",
            sequence=item.sequence,
            last_modified=item.last_modified,
            categories=list(item.categories),
        )
        calendar.add_component(event)
    today = timezone.localdate()
    # A narrow window gives a short, exact VTIMEZONE (China has kept +08:00 since 1991).
    calendar.add_missing_timezones(first_date=today - datetime.timedelta(days=400),
                                   last_date=today + datetime.timedelta(days=3 * 366))
    return calendar.to_ical()

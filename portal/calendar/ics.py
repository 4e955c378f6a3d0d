"""Write CalendarItems as an RFC 5545 calendar (icalendar 7), in Asia/Shanghai time.

Calendar apps sync entries to other devices and show them to anyone near the phone, so
every text an entry carries is cleaned of corrections words and of the names of
corrections bodies (portal.neutral, docs/domain.md rule 3), whichever app made it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from portal.neutral import neutral_text

from .registry import CalendarItem

PRODID = "-//Xiangyang//Portal//ZH"


def _local(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value)  # TZID=Asia/Shanghai with a VTIMEZONE below
    return value


def build_calendar(items: Iterable[CalendarItem], *, name: str, uid: str,
                   refresh: datetime.timedelta | None = None) -> bytes:
    """`uid` names the calendar itself and must stay the same across fetches."""
    from portal.organisations.models import Unit

    items = list(items)
    names = list(Unit.objects.values_list("name", flat=True)) if items else []

    def clean(text):
        return neutral_text(str(text), names=names) if text else text

    def one_line(text):
        # A name or title typed with a line break: calendar apps show one line, and
        # icalendar refuses an unescaped line break in the calendar's name.
        return " ".join(clean(text).split()) if text else text

    calendar = Calendar.new(name=one_line(str(name)), prodid=PRODID, uid=uid, refresh_interval=refresh)
    if refresh is not None:
        # Outlook and Google read the older X- property, not REFRESH-INTERVAL.
        calendar.add("X-PUBLISHED-TTL", refresh)
    for item in items:
        event = Event.new(
            uid=item.uid,
            summary=one_line(item.summary),
            start=_local(item.start),
            end=_local(item.end) if item.end is not None else None,
            location=clean(item.location) or None,
            description=clean(item.description) or None,
            url=item.url or None,
            status="CANCELLED" if item.cancelled else "CONFIRMED",
            sequence=item.sequence,
            last_modified=item.last_modified,
            categories=[clean(c) for c in item.categories if clean(c)],
        )
        calendar.add_component(event)
    today = timezone.localdate()
    # A narrow window gives a short, exact VTIMEZONE (China has kept +08:00 since 1991).
    calendar.add_missing_timezones(first_date=today - datetime.timedelta(days=400),
                                   last_date=today + datetime.timedelta(days=3 * 366))
    return calendar.to_ical()

"""Activities in the person's private calendar feed (portal.calendar) and as a single .ics
download per activity."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from portal.access import actor_for
from portal.calendar.ics import build_calendar
from portal.calendar.registry import CalendarItem, make_uid

from .models import Activity, Signup

LOOKBACK = datetime.timedelta(days=30)


def activity_item(activity: Activity, *, base_url: str = "", withdrawn: bool = False
                  ) -> CalendarItem:
    """`withdrawn`: the person gave up their place, so their copy is cancelled although
    the activity goes ahead."""
    return CalendarItem(
        uid=make_uid("activity", activity.pk),
        summary=activity.title,
        start=activity.starts_at,
        end=activity.ends_at,
        location=f"{activity.district.name} {activity.place}".strip(),
        description=activity.description,
        url=base_url + reverse("volunteering:activity", kwargs={"pk": activity.pk}),
        cancelled=activity.status == Activity.Status.CANCELLED or withdrawn,
        sequence=activity.sequence + (1 if withdrawn else 0),
        last_modified=activity.updated_at,
        categories=(activity.theme.name,),
    )


def events_for(user) -> list[CalendarItem]:
    """The person's confirmed places (and, for a while, the ones cancelled) — not the
    waiting list, which is no appointment yet."""
    supervisee_id = actor_for(user).supervisee_id
    if supervisee_id is None:
        return []
    since = timezone.now() - LOOKBACK
    signups = (
        Signup.objects.filter(supervisee_id=supervisee_id, activity__ends_at__gte=since,
                              confirmed_at__isnull=False)
        .exclude(activity__status=Activity.Status.DRAFT)
        .select_related("activity__district", "activity__theme")
        .order_by("created_at", "pk")
    )
    items: dict[str, CalendarItem] = {}
    for signup in signups:
        live = signup.status == Signup.Status.CONFIRMED
        item = activity_item(signup.activity, withdrawn=not live)
        if live or item.uid not in items:
            items[item.uid] = item
    return list(items.values())


def activity_ics(activity: Activity, *, request=None) -> bytes:
    base = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    return build_calendar([activity_item(activity, base_url=base)], name=activity.title,
                          uid=make_uid("activity-calendar", activity.pk))

"""Service events for the casework timeline (portal.timeline): sign-ups, cancellations
and no-shows, the hours ledger (both kinds, named), certificates. Three queries (a
fourth for the certifiers when the person has certificates)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.timeline import Event

from .models import Certificate, HoursEntry, Signup

LIMIT = 300


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def events(supervisee, *, viewer):
    for s in (Signup.objects.filter(supervisee=supervisee).select_related("activity")
              .order_by("-created_at")[:LIMIT]):
        url = reverse("volunteering:activity", args=[s.activity_id])
        title = s.activity.title
        yield Event(when=s.created_at, kind="signup",
                    title=_("Signed up for %(activity)s") % {"activity": title},
                    detail=s.get_status_display(), url=url)
        if s.cancelled_at:
            yield Event(when=s.cancelled_at, kind="signup",
                        title=_("Cancelled %(activity)s") % {"activity": title}, url=url)
        if s.attendance == Signup.Attendance.NO_SHOW:
            yield Event(when=s.activity.ends_at, kind="signup",
                        title=_("Did not come to %(activity)s") % {"activity": title}, url=url)
    staff_url = reverse("volunteering:person_hours", args=[supervisee.pk])
    for h in (HoursEntry.objects.filter(supervisee=supervisee)
              .select_related("activity", "organisation", "unit", "confirmation")
              .order_by("-recorded_at")[:LIMIT]):
        confirmed = getattr(h, "confirmation", None) is not None
        # Placed on the day served; a late record or correction says when it was made.
        recorded = timezone.localdate(h.recorded_at)
        yield Event(when=_at(h.service_date), kind="hours",
                    title=_("%(hours)s hours of %(kind)s") % {
                        "hours": f"{h.hours:+}", "kind": h.get_kind_display()},
                    detail=" · ".join(x for x in (
                        h.activity.title if h.activity else "", h.recorder_name,
                        _("recorded %(date)s") % {"date": recorded.isoformat()}
                        if recorded != h.service_date else "",
                        _("confirmed") if confirmed else _("not yet confirmed")) if x),
                    url=staff_url)
    for c in (Certificate.objects.filter(supervisee=supervisee)
              .select_related("revocation", "replaced_by").prefetch_related("lines")
              .order_by("-issued_at")[:LIMIT]):
        yield Event(when=c.issued_at, kind="hours",
                    title=_("Volunteer-service certificate %(serial)s") % {"serial": c.serial},
                    detail=_("%(hours)s hours, certified by %(issuers)s") % {
                        "hours": c.hours,
                        "issuers": "、".join(x.organisation_name for x in c.lines.all())}
                    + (" · " + _("revoked") if c.is_revoked else "")
                    + (" · " + _("replaced") if c.is_replaced else ""),
                    url=staff_url)

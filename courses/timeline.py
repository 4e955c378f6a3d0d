"""Course events for the casework timeline (portal.timeline): enrolments and completions,
class sign-ups and no-shows, attendance and the study-hours ledger. Four queries,
whatever the number of rows."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.timeline import Event

from .models import Attendance, Enrolment, SessionSignup, StudyHoursEntry

LIMIT = 300


def events(supervisee, *, viewer):
    staff_url = reverse("courses:person_history", args=[supervisee.pk])
    now = timezone.now()
    for e in (Enrolment.objects.filter(supervisee=supervisee).select_related("course")
              .only("enrolled_at", "completed_at", "status", "source", "due_on",
                    "course__title").order_by("-enrolled_at")[:LIMIT]):
        how = e.get_source_display()
        yield Event(when=e.enrolled_at, kind="course",
                    title=_("Enrolled in %(course)s") % {"course": e.course.title},
                    detail=how, url=staff_url)
        if e.completed_at:
            yield Event(when=e.completed_at, kind="course",
                        title=_("Completed %(course)s") % {"course": e.course.title},
                        url=staff_url)
    present = Attendance.objects.filter(session=OuterRef("session"),
                                        supervisee=OuterRef("supervisee"))
    for s in (SessionSignup.objects.filter(supervisee=supervisee)
              .select_related("session__course")
              .annotate(attended=Exists(present)).order_by("-created_at")[:LIMIT]):
        course = s.session.course.title
        start = timezone.localtime(s.session.starts_at)
        yield Event(when=s.created_at, kind="signup",
                    title=_("Signed up for a class of %(course)s") % {"course": course},
                    detail=f"{start:%Y-%m-%d %H:%M}", url=staff_url)
        if s.status == SessionSignup.Status.CANCELLED and s.cancelled_at:
            yield Event(when=s.cancelled_at, kind="signup",
                        title=_("Cancelled a class of %(course)s") % {"course": course},
                        url=staff_url)
        elif (s.status == SessionSignup.Status.CONFIRMED and not s.attended
              and s.session.ends_at < now and s.session.status != "cancelled"):
            yield Event(when=s.session.ends_at, kind="signup",
                        title=_("Did not come to a class of %(course)s") % {"course": course},
                        url=staff_url)
    for a in (Attendance.objects.filter(supervisee=supervisee)
              .select_related("session__course").order_by("-recorded_at")[:LIMIT]):
        title = (_("Attended a class of %(course)s") if a.status == Attendance.Status.PRESENT
                 else _("Attendance withdrawn for %(course)s"))
        yield Event(when=a.recorded_at, kind="attendance",
                    title=title % {"course": a.session.course.title},
                    detail=a.reason, url=staff_url)
    for h in (StudyHoursEntry.objects.filter(supervisee=supervisee).select_related("course")
              .order_by("-created_at")[:LIMIT]):
        yield Event(when=timezone.make_aware(datetime.datetime.combine(
                        h.credited_on, datetime.time(12))), kind="hours",
                    title=_("%(hours)s study hours: %(kind)s") % {
                        "hours": f"{h.hours:+}", "kind": h.get_kind_display()},
                    detail=" · ".join(x for x in (
                        h.course.title if h.course else "",
                        _("counts for %(date)s") % {"date": h.credited_on.isoformat()},
                        h.reason) if x),
                    url=staff_url)

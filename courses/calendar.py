"""Courses in the person's calendar feed: the classes they signed up for (cancelled ones
marked CANCELLED so calendar apps strike them) and the due dates of assigned courses."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import actor_for
from portal.calendar.registry import CalendarItem, make_uid

from .models import ClassSession, Enrolment, SessionSignup

# How far back the feed keeps showing past and cancelled items.
LOOKBACK = datetime.timedelta(days=30)


def _course_url(course, request=None) -> str:
    try:
        return course.get_full_url(request) or ""
    except Exception:  # no site configured (a bare test database): leave the link out
        return ""


def session_item(session: ClassSession, *, request=None, with_link: bool,
                 withdrawn: bool = False) -> CalendarItem:
    """A class as a calendar item. `withdrawn`: the person cancelled their own sign-up,
    so their copy is cancelled although the class goes ahead."""
    place = ", ".join(p for p in (session.venue, session.address) if p)
    if not place and session.online_url:
        place = _("Online")
    lines = []
    if session.notes:
        lines.append(session.notes)
    if with_link and session.online_url:
        lines.append(_("Online link: %(url)s") % {"url": session.online_url})
    return CalendarItem(
        uid=make_uid("course-session", session.pk),
        summary=session.course.title,
        start=session.starts_at,
        end=session.ends_at,
        location=place,
        description="\n".join(lines),
        url=_course_url(session.course, request),
        cancelled=session.is_cancelled or withdrawn,
        sequence=session.sequence + (1 if withdrawn else 0),
        last_modified=session.updated_at,
        categories=(str(session.course.category),) if session.course.category_id else (),
    )


def events_for(user) -> list[CalendarItem]:
    supervisee_id = actor_for(user).supervisee_id
    if supervisee_id is None:
        return []
    since = timezone.now() - LOOKBACK
    items: dict[str, CalendarItem] = {}
    signups = (
        SessionSignup.objects.filter(supervisee_id=supervisee_id, session__ends_at__gte=since)
        .select_related("session", "session__course", "session__course__category")
        .order_by("created_at", "pk")
    )
    for signup in signups:
        live = signup.status == SessionSignup.Status.CONFIRMED
        item = session_item(signup.session, with_link=live, withdrawn=not live)
        # A later live sign-up for the same class wins over an earlier cancelled one.
        if live or item.uid not in items:
            items[item.uid] = item
    today = timezone.localdate()
    due = (
        Enrolment.objects.filter(supervisee_id=supervisee_id, status=Enrolment.Status.ACTIVE,
                                 due_on__gte=today - LOOKBACK)
        .select_related("course")
    )
    for enrolment in due:
        uid = make_uid("course-due", enrolment.pk)
        items[uid] = CalendarItem(
            uid=uid,
            summary=_("Due: %(title)s") % {"title": enrolment.course.title},
            start=enrolment.due_on,
            end=enrolment.due_on + datetime.timedelta(days=1),
            url=_course_url(enrolment.course),
            description=_("Complete this course by this date."),
        )
    return list(items.values())

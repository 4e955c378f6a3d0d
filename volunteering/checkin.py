"""What an organiser can do with a person's scanned check-in code (portal.checkin's
ORGANISER_SOURCES): for each activity of today that the organiser manages and the person
has a place on, while check-in is open, the next step. Nothing for anyone else."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import actor_for
from portal.checkin.services import CheckinAction

from . import selectors, services
from .models import Activity, Signup


def checkin_actions(actor, person_user, *, now) -> list[CheckinAction]:
    if not actor.is_authenticated or not selectors.can_organise(actor):
        return []
    person_id = actor_for(person_user).supervisee_id
    if person_id is None:
        return []
    signups = (
        Signup.objects.filter(
            supervisee_id=person_id, status=Signup.Status.CONFIRMED,
            activity__in=selectors.activities_managed_by(actor),
            activity__status=Activity.Status.PUBLISHED,
            activity__starts_at__lte=now + services.CHECKIN_OPENS_BEFORE,
            activity__ends_at__gte=now - services.CHECKIN_CLOSES_AFTER)
        .select_related("activity").order_by("activity__starts_at")
    )
    actions = []
    for signup in signups:
        activity = signup.activity
        if timezone.localdate(activity.starts_at) != timezone.localdate(now) and not (
                activity.starts_at <= now <= activity.ends_at):
            continue  # today's activities (or one still running), not yesterday's
        if signup.checked_in_at is None:
            label, state = _("Check in"), _("Not checked in yet")
        elif signup.checked_out_at is None:
            label = _("Check out")
            state = _("Arrived at %(time)s") % {
                "time": timezone.localtime(signup.checked_in_at).strftime("%H:%M")}
        elif signup.self_checkin_waiting:
            label = _("Confirm the times")
            state = _("Checked themselves in %(start)s – %(end)s") % {
                "start": timezone.localtime(signup.checked_in_at).strftime("%H:%M"),
                "end": timezone.localtime(signup.checked_out_at).strftime("%H:%M")}
        else:
            label, state = "", _("Attendance recorded")
        actions.append(CheckinAction(
            title=activity.title, when=activity.starts_at, label=label, state=state,
            action=reverse("volunteering:scan", args=[activity.pk]) if label else ""))
    return actions

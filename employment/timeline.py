"""Employment events for the casework timeline (portal.timeline): applications and each
change of their status, placements and their 30- and 90-day follow-ups. Four queries."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.timeline import Event

from .models import Application, ApplicationStatusChange, FollowUp, Placement

LIMIT = 300


def _opening_name(application) -> str:
    if application.job_id:
        return application.job.title
    if application.training_place_id:
        return application.training_place.programme
    return ""


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def events(supervisee, *, viewer):
    applications = list(
        Application.objects.filter(supervisee=supervisee)
        .select_related("job", "training_place", "organisation")
        .order_by("-created_at")[:LIMIT])
    by_id = {a.pk: a for a in applications}
    for a in applications:
        yield Event(when=a.created_at, kind="application",
                    title=_("Application: %(opening)s") % {"opening": _opening_name(a)},
                    detail=f"{a.organisation.name} · {a.get_source_display()}",
                    url=reverse("employment:application", args=[a.pk]))
    for change in (ApplicationStatusChange.objects.filter(application__in=list(by_id))
                   .exclude(from_status="").order_by("-changed_at")[:LIMIT]):
        a = by_id[change.application_id]
        yield Event(when=change.changed_at, kind="application",
                    title=_("%(opening)s: %(status)s") % {
                        "opening": _opening_name(a), "status": change.get_to_status_display()},
                    detail=change.note, url=reverse("employment:application", args=[a.pk]))
    placements = list(Placement.objects.filter(supervisee=supervisee)
                      .select_related("job", "organisation").order_by("-started_on")[:LIMIT])
    person_url = reverse("employment:person", args=[supervisee.pk])
    for p in placements:
        yield Event(when=_at(p.started_on), kind="placement",
                    title=_("Started work: %(job)s") % {"job": p.job.title},
                    detail=p.organisation.name, url=person_url)
        if p.ended_on:
            yield Event(when=_at(p.ended_on), kind="placement",
                        title=_("Left %(job)s") % {"job": p.job.title}, url=person_url)
    jobs = {p.pk: p.job.title for p in placements}
    for f in (FollowUp.objects.filter(placement__in=list(jobs), completed_at__isnull=False)
              .order_by("-completed_at")):
        still = (_("still employed") if f.still_employed
                 else _("no longer employed") if f.still_employed is False else "")
        yield Event(when=f.completed_at, kind="placement",
                    title=_("%(days)s-day follow-up: %(job)s") % {
                        "days": f.day, "job": jobs[f.placement_id]},
                    detail=" · ".join(x for x in (still, f.note) if x), url=person_url)

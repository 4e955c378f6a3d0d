"""A unit's outcome figures (the unit dashboard and its reports). Each aggregate joins the
person directly (portal.access.scope_q, the rule of supervisees_visible_to) and groups by
the person's unit id; the hours and head counts come from the roll-ups the database keeps
(people_unitmonthhours, people_unitpeople: portal/rollups.py). The unit ids are folded
into the unit and its children by selectors.fold_outcomes."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portal.access import scope_q, staff_scope, units_in_scope


def _of(model, scope, path, values, prefix="supervisee__"):
    """`model`'s rows of the people of the unit at `path` (and below) whom the scope sees."""
    return model._default_manager.filter(scope_q(scope, values["viewer_id"], prefix),
                                         **{f"{prefix}unit__path__startswith": path})


def _children(scope, unit, values):
    from portal.organisations.models import Unit

    return list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
                .order_by("path"))


def _units(scope, unit, values):
    from portal.organisations.models import Unit

    return list(Unit.objects.filter(path__startswith=unit.path).order_by()
                .values_list("pk", "path"))


def _people(scope, unit, values):
    from portal.people.models import UnitPeople

    # Head counts and referrals still running, by unit, caseworker, flags and status.
    return list(UnitPeople.objects
                .filter(scope_q(scope, values["viewer_id"]), unit__path__startswith=unit.path)
                .values("unit_id", "status", "is_juvenile")
                .annotate(n=Sum("people"), o=Sum("open_referrals")).order_by()
                .values_list("unit_id", "status", "is_juvenile", "n", "o"))


def _completions(scope, unit, values):
    from courses.models import Enrolment

    return list(_of(Enrolment, scope, unit.path, values)
                .filter(status=Enrolment.Status.COMPLETED,
                        completed_at__gte=values["start_dt"], completed_at__lt=values["end_dt"])
                .annotate(m=TruncMonth("completed_at")).values("m", "supervisee__unit_id")
                .annotate(v=Count("pk")).order_by()
                .values_list("m", "supervisee__unit_id", "v"))


def _hours(scope, unit, values):
    from portal.people.models import UnitMonthHours

    # The people's months summed by unit, caseworker and flags.
    return list(UnitMonthHours.objects
                .filter(scope_q(scope, values["viewer_id"]), unit__path__startswith=unit.path,
                        month__gte=values["first"], month__lte=values["end"])
                .values("month", "unit_id")
                .annotate(h=Sum("study"), pw=Sum("public_welfare"), v=Sum("volunteer"),
                          c=Sum("completions"))
                .order_by().values_list("month", "unit_id", "h", "pw", "v", "c"))


def _placements(scope, unit, values):
    from employment.models import Placement

    return list(_of(Placement, scope, unit.path, values)
                .filter(started_on__gte=values["start"], started_on__lte=values["end"])
                .annotate(m=TruncMonth("started_on")).values("m", "supervisee__unit_id")
                .annotate(v=Count("pk")).order_by()
                .values_list("m", "supervisee__unit_id", "v"))


def _follow_ups(scope, unit, values):
    from employment.models import FollowUp

    return list(_of(FollowUp, scope, unit.path, values, prefix="placement__supervisee__")
                .filter(day=90, completed_at__isnull=False,
                        completed_at__gte=values["start_dt"], completed_at__lt=values["end_dt"])
                .values("day").annotate(n=Count("pk"), still=Count("pk", filter=Q(
                    still_employed=True))).order_by().values_list("n", "still"))


def _closed(scope, unit, values):
    from helpnet.models import Referral

    return list(_of(Referral, scope, unit.path, values)
                .filter(status=Referral.Status.CLOSED, closed_at__gte=values["start_dt"],
                        closed_at__lt=values["end_dt"])
                .values("outcome", "supervisee__unit_id").annotate(n=Count("pk")).order_by()
                .values_list("outcome", "supervisee__unit_id", "n"))


READS = {"children": _children, "units": _units, "people": _people,
         "completions": _completions, "hours": _hours, "placements": _placements,
         "follow_ups": _follow_ups, "closed": _closed}


def unit_outcomes(user, unit, *, start: datetime.date, end: datetime.date):
    """Outcome figures for `unit` and the units below it over [start, end], counting only
    the people `user` may see as staff (selectors.Outcomes)."""
    return unit_outcomes_and_choices(user, unit, start=start, end=end, choices=False)[0]


def unit_outcomes_and_choices(user, unit, *, start: datetime.date, end: datetime.date,
                              choices: bool = True):
    """(unit_outcomes, the (pk, name) of every unit `user` may open, by path: the unit
    selector's options); None for the options when `choices` is false."""
    from casework import selectors

    scope = staff_scope(user)
    values = {
        "first": start.replace(day=1), "start": start, "end": end,
        "start_dt": timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
        "end_dt": timezone.make_aware(datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min)),
        "viewer_id": user.pk,
    }
    # Over whole months the courses completed come with the units' months; over other
    # days they are counted from the enrolments.
    whole_months = start.day == 1 and (
        (end + datetime.timedelta(days=1)).day == 1 or end >= timezone.localdate())
    found: dict = {}
    options = None
    if choices:
        # The viewer's units hold the unit shown and all below it (_dashboard_unit), so
        # its children and subtree come from the same rows.
        units = list(units_in_scope(scope).order_by("path"))
        options = [(u.pk, u.name) for u in units]
        below = [u for u in units if u.path.startswith(unit.path)]
        if any(u.pk == unit.pk for u in below):
            found["units"] = [(u.pk, u.path) for u in below]
            found["children"] = [u for u in below if u.depth == unit.depth + 1]
    for name, read in READS.items():
        if name not in found and not (whole_months and name == "completions"):
            found[name] = read(scope, unit, values)
    people = found.pop("people")
    found["people"] = [(unit_id, status, juvenile, n) for unit_id, status, juvenile, n, _o
                       in people]
    found["open"] = [(status, o) for _unit_id, status, _juvenile, _n, o in people]
    if whole_months:
        found["completions"] = [(month, unit_id, n) for month, unit_id, *_hours, n
                                in found["hours"] if n]
    return selectors.fold_outcomes(unit, start, end, found), options

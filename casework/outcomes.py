"""A unit's outcome figures (the unit dashboard and its reports) from kept statements read
in one round trip.

Built the ordinary way, the nine aggregates were composed and compiled on every request
and each one found the viewer's people again through a list of ids (`supervisee_id IN
(SELECT … people of the subtree)`), grouped by the unit's path: 11 statements, about 23
ms of SQL and 67,000 Python calls a request for a county bureau. Here each aggregate
joins the person directly (portal.access.scope_q, the same rule as
supervisees_visible_to), groups by the person's unit id, and is kept compiled per variant
(portal/ops/prepared.py): the viewer's scope and the unit (its path a constant, so the
subtree's index is used); the period's bounds and the viewer's id are the arguments. The
hours come from people_unitmonthhours (portal/rollups.py: the people's months summed by
unit, caseworker and the flags the scope's rule reads), a few hundred rows rather than
one per person and month; the head counts and the referrals still running from
people_unitpeople (kept the same way), a few dozen rows rather than every person and a
probe of the referrals for each. The units' ids are folded into the unit and its
children in Python, as before.

`selectors.unit_outcomes_orm` is the same figures the ordinary way; tests/casework/
test_unit_outcomes.py holds the two equal for every kind of viewer."""

from __future__ import annotations

import datetime
import inspect

from django.db import router
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portal.access import scope_names_viewer, scope_q, staff_scope
from portal.ops.prepared import Variants, ahead

DATES = {"first": datetime.date, "end": datetime.date}
MOMENTS = {"start_dt": datetime.datetime, "end_dt": datetime.datetime}


def _with_signature(build, arguments: dict):
    build.__signature__ = inspect.Signature([
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind)
        for name, kind in arguments.items()])
    return build


def _of(model, scope, path, values, prefix="supervisee__"):
    """`model`'s rows of the people of the unit at `path` (and below) whom the scope sees."""
    return model._default_manager.filter(scope_q(scope, values.get("viewer_id"), prefix),
                                **{f"{prefix}unit__path__startswith": path})


def _children(scope, path, depth, values):
    from portal.organisations.models import Unit

    return Unit.objects.filter(path__startswith=path, depth=depth + 1).order_by("path")


def _units(scope, path, depth, values):
    from portal.organisations.models import Unit

    return Unit.objects.filter(path__startswith=path).order_by().values_list("pk", "path")


def _people(scope, path, depth, values):
    from portal.people.models import UnitPeople

    # The people and their referrals still running, counted by unit, caseworker, flags
    # and status (portal/rollups.py): the scope's rule applies to these rows as to the
    # people themselves.
    return (UnitPeople.objects
            .filter(scope_q(scope, values.get("viewer_id")), unit__path__startswith=path)
            .values("unit_id", "status", "is_juvenile")
            .annotate(n=Sum("people"), o=Sum("open_referrals")).order_by()
            .values_list("unit_id", "status", "is_juvenile", "n", "o"))


def _completions(scope, path, depth, values):
    from courses.models import Enrolment

    return (_of(Enrolment, scope, path, values)
            .filter(status=Enrolment.Status.COMPLETED, completed_at__gte=values["start_dt"],
                    completed_at__lt=values["end_dt"])
            .annotate(m=TruncMonth("completed_at")).values("m", "supervisee__unit_id")
            .annotate(v=Count("pk")).order_by().values_list("m", "supervisee__unit_id", "v"))


def _hours(scope, path, depth, values):
    from portal.people.models import UnitMonthHours

    # The people's months summed by unit, caseworker and flags (portal/rollups.py): the
    # scope's rule applies to these rows as to the people themselves.
    return (UnitMonthHours.objects
            .filter(scope_q(scope, values.get("viewer_id")), unit__path__startswith=path,
                    month__gte=values["first"], month__lte=values["end"])
            .values("month", "unit_id")
            .annotate(h=Sum("study"), pw=Sum("public_welfare"), v=Sum("volunteer"),
                      c=Sum("completions"))
            .order_by().values_list("month", "unit_id", "h", "pw", "v", "c"))


def _placements(scope, path, depth, values):
    from employment.models import Placement

    return (_of(Placement, scope, path, values)
            .filter(started_on__gte=values["start"], started_on__lte=values["end"])
            .annotate(m=TruncMonth("started_on")).values("m", "supervisee__unit_id")
            .annotate(v=Count("pk")).order_by().values_list("m", "supervisee__unit_id", "v"))


def _follow_ups(scope, path, depth, values):
    from employment.models import FollowUp

    return (_of(FollowUp, scope, path, values, prefix="placement__supervisee__")
            .filter(day=90, completed_at__isnull=False, completed_at__gte=values["start_dt"],
                    completed_at__lt=values["end_dt"])
            .values("day").annotate(n=Count("pk"), still=Count("pk", filter=Q(
                still_employed=True))).order_by().values_list("n", "still"))


def _closed(scope, path, depth, values):
    from helpnet.models import Referral

    return (_of(Referral, scope, path, values)
            .filter(status=Referral.Status.CLOSED, closed_at__gte=values["start_dt"],
                    closed_at__lt=values["end_dt"])
            .values("outcome", "supervisee__unit_id").annotate(n=Count("pk")).order_by()
            .values_list("outcome", "supervisee__unit_id", "n"))


def _choices(scope, path, depth, values):
    from portal.access import units_in_scope

    # The unit selector's options: every unit the viewer may open, whatever is shown.
    # Every field: the units shown on the page are among these (_units_shown).
    return units_in_scope(scope).order_by("path").values_list(*_unit_fields())


READS = {"children": (_children, {}), "units": (_units, {}), "people": (_people, {}),
         "completions": (_completions, MOMENTS), "hours": (_hours, DATES),
         "placements": (_placements, {"start": datetime.date, "end": datetime.date}),
         "follow_ups": (_follow_ups, MOMENTS),
         "closed": (_closed, MOMENTS)}
PER_PERSON = ("people", "completions", "hours", "placements", "follow_ups", "closed")


@Variants
def _read(name, scope, path, depth):
    make, moments = READS[name]
    viewer = {"viewer_id": int} if name in PER_PERSON and scope_names_viewer(scope) else {}

    def build(**values):
        return make(scope, path, depth, values)

    return _with_signature(build, viewer | moments)


def unit_outcomes(user, unit, *, start: datetime.date, end: datetime.date):
    """Outcome figures for `unit` and the units below it over [start, end], counting only
    the people `user` may see as staff: selectors.Outcomes, as unit_outcomes_orm gives."""
    return unit_outcomes_and_choices(user, unit, start=start, end=end, choices=False)[0]


def unit_outcomes_and_choices(user, unit, *, start: datetime.date, end: datetime.date,
                              choices: bool = True):
    """(unit_outcomes, the (pk, name) of every unit `user` may open, by path: the unit
    selector's options, as units_for_dashboard gives them), read in the same round trip;
    None for the options when `choices` is false."""
    from casework import selectors

    scope = staff_scope(user)
    arguments = {
        "first": start.replace(day=1), "start": start, "end": end,
        "start_dt": timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
        "end_dt": timezone.make_aware(datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min)),
        "viewer_id": user.pk,
    }
    # Over whole months (the dashboard's, a month's or a quarter's report) the courses
    # completed come with the hours from the units' months; over other days they are
    # counted from the enrolments.
    whole_months = start.day == 1 and (
        (end + datetime.timedelta(days=1)).day == 1 or end >= timezone.localdate())
    # With the selector's options, the units shown come from the same rows: every unit
    # the viewer may open, the unit shown and all below it among them (_dashboard_unit).
    skip = {"completions"} if whole_months else set()
    if choices:
        skip |= {"children", "units"}
    calls = []
    for name in READS:
        if name not in skip:
            query = _read[name, scope, unit.path, unit.depth]
            calls.append((name, query, {k: arguments[k] for k in query.kinds}))
    if choices:
        calls.append(("choices", _options[(scope,)], {}))
    with ahead(*[(query, values) for _name, query, values in calls]):
        found = {name: query(**values) for name, query, values in calls}
    if choices:
        found.update(_units_shown(unit, found.pop("choices")))
        if "units" not in found:  # not among the viewer's units: read as ever
            for name in ("children", "units"):
                found[name] = _read[name, scope, unit.path, unit.depth]()
        name = _unit_fields().index("name")
        found["choices"] = [(row[0], row[name]) for row in found.pop("all_units")]
    # The referrals still running come with the head counts.
    people = found.pop("people")
    found["people"] = [(unit_id, status, juvenile, n) for unit_id, status, juvenile, n, _o
                       in people]
    found["open"] = [(status, o) for _unit_id, status, _juvenile, _n, o in people]
    if whole_months:
        found["completions"] = [(month, unit_id, n) for month, unit_id, *_hours, n
                                in found["hours"] if n]
    return selectors.fold_outcomes(unit, start, end, found), found.get("choices")


@Variants
def _options(scope):
    def build():
        return _choices(scope, None, None, {})

    return build


def _unit_fields():
    from portal.organisations.models import Unit

    return [f.attname for f in Unit._meta.concrete_fields]


def _units_shown(unit, rows) -> dict:
    """From the viewer's units (every field, by path): the unit's children as units
    (_children) and the (pk, path) of the unit and all below it (_units); nothing when
    the unit is not among them."""
    from portal.organisations.models import Unit

    names = _unit_fields()
    found: dict = {"all_units": rows}
    path, depth = names.index("path"), names.index("depth")
    below = [row for row in rows if row[path].startswith(unit.path)]
    if not any(row[0] == unit.pk for row in below):
        return found
    found["units"] = [(row[0], row[path]) for row in below]
    alias = router.db_for_read(Unit)
    found["children"] = [Unit.from_db(alias, names, row) for row in below
                         if row[depth] == unit.depth + 1]
    return found

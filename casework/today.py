"""The today list as its page and its CSV show it: each section's first TODAY_LIMIT rows
and its total, as plain rows (named tuples) read by kept statements, the five sections
in one round trip.

Built the ordinary way (five querysets composed and compiled on every request, about 265
model instances made from their rows), the list cost several times what the database
took to answer it. Here each section's statement is kept compiled per variant of its
shape (portal/ops/prepared.py): the viewer's scope (portal.access.staff_scope), whether
only their own people were asked for, the day and the level targets (the pro-rata
expectation of the day is a constant of the "behind" statement). The viewer's id and
the moments that move with the clock (a week ago, the referrals' deadline) are the
statements' arguments.

`selectors.today_list` is the same list as model instances; tests/casework/
test_today_rows.py holds the two to the same rows and the page to the same markup."""

from __future__ import annotations

import datetime
import inspect
from types import SimpleNamespace
from typing import NamedTuple

from django.db.models import Count, OuterRef, Subquery, Window

from portal.access import (
    ALL_UNITS,
    scope_names_viewer,
    scope_q,
    staff_scope,
    supervisees_in_scope,
)
from portal.ops.prepared import Variants, ahead

TOTAL = "xy_total"


class Behind(NamedTuple):
    pk: int
    legal_name: str
    level: str
    study_month: object
    study_expected: object
    service_month: object
    service_expected: object
    unit_name: str


class Waiting(NamedTuple):
    supervisee_id: int
    legal_name: str
    hours: object
    kind: str
    service_date: datetime.date
    recorder_name: str


class Overdue(NamedTuple):
    pk: int
    supervisee_id: int
    legal_name: str
    service: str
    status: str
    consent_at: datetime.datetime


class Review(NamedTuple):
    supervisee_id: int
    legal_name: str
    review_on: datetime.date


class Releasing(NamedTuple):
    pk: int
    legal_name: str
    term_end: datetime.date
    days_left_n: int
    volunteer_hours: object
    certified_hours: object
    certificate_to_issue: bool
    unit_name: str


def _with_signature(build, arguments: dict):
    """`build` taking exactly `arguments` (name → type) as keywords, as Prepared reads a
    build function's signature."""
    build.__signature__ = inspect.Signature([
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind)
        for name, kind in arguments.items()])
    return build


def _people(scope, mine, values, *, active):
    from portal.people.models import Supervisee

    qs = supervisees_in_scope(scope, values.get("viewer_id"))
    if mine:
        qs = qs.filter(caseworker_id=values["viewer_id"])
    if active:
        qs = qs.filter(status=Supervisee.Status.IN_CORRECTION)
    return qs


def _first(qs, *fields):
    from casework.selectors import TODAY_LIMIT, AsFetched

    return (qs.annotate(**{TOTAL: AsFetched(Window(Count("pk")))})
            .values_list(*fields, TOTAL)[:TODAY_LIMIT])


def _behind(scope, mine, today, targets, values):
    from casework.selectors import behind_q, with_month_standing

    level_targets = {level: SimpleNamespace(study_hours=study, service_hours=service)
                     for level, study, service in targets}
    qs = (with_month_standing(_people(scope, mine, values, active=True), today=today,
                              level_targets=level_targets)
          .filter(behind_q()).order_by("legal_name", "pk"))
    return _first(qs, "pk", "legal_name", "level", "study_month", "study_expected",
                  "service_month", "service_expected", "unit__name")


def _waiting(scope, mine, today, targets, values):
    """The waiting list's rows in scope, read from the waiting list itself (its person,
    moment and entry are the entry's, and its person's unit, caseworker and flags the
    person's, copied by the triggers of portal/rollups.py): the rows of the viewer's
    units are read by unit, and the names for the rows shown only. Without a scope (a
    superuser: the province's tens of thousands of waiting entries) the entries are read
    by id as before, a plan PostgreSQL runs in parallel workers."""
    from portal.organisations.models import Organisation, Unit
    from volunteering.models import HoursEntry, UnconfirmedHours

    if scope == ALL_UNITS:
        ids = (UnconfirmedHours.objects
               .filter(supervisee__in=_people(scope, mine, values, active=False).values("pk"),
                       recorded_at__lt=values["week_ago"])
               .values("entry_id"))
        qs = HoursEntry.objects.filter(pk__in=ids).order_by("recorded_at", "pk")
        return _first(qs, "supervisee_id", "supervisee__legal_name", "hours", "kind",
                      "service_date", "organisation__name", "unit__name")
    from portal.people.models import Supervisee

    qs = UnconfirmedHours.objects.filter(recorded_at__lt=values["week_ago"])
    # The scope's rule on the waiting rows' copies of their person's unit, caseworker and
    # flags (kept by the triggers of portal/rollups.py since volunteering.0008): the
    # unit's entries are read by unit, not probed person by person.
    qs = qs.filter(scope_q(scope, values.get("viewer_id"), prefix="person_"))
    if mine:
        qs = qs.filter(person_caseworker_id=values["viewer_id"])
    # Who recorded the hours (an organisation's name, else a unit's) is read for the
    # rows shown only: as subqueries PostgreSQL evaluates them after the sort and limit,
    # where joined they were read for every waiting entry (on the bench data 117 entries
    # for 50 rows: 1,315 buffers to 1,114).
    # The entry's hours, kind and day are the waiting row's own copies (since migration
    # volunteering.0006), so the ledger's rows are not read at all.
    qs = qs.annotate(
        xy_name=Subquery(Supervisee.objects.filter(pk=OuterRef("supervisee_id")).order_by()
                         .values("legal_name")),
        xy_organisation=Subquery(Organisation.objects.filter(pk=OuterRef("organisation_id"))
                                 .order_by().values("name")),
        xy_unit=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).order_by().values("name")))
    qs = qs.order_by("recorded_at", "entry_id")
    return _first(qs, "supervisee_id", "xy_name", "hours", "kind",
                  "service_date", "xy_organisation", "xy_unit")


def _overdue(scope, mine, today, targets, values):
    from helpnet.models import Referral

    qs = (Referral.objects
          .filter(status=Referral.Status.PENDING, consent_at__lt=values["before"],
                  supervisee__in=_people(scope, mine, values, active=False).values("pk"))
          .order_by("consent_at", "pk"))
    return _first(qs, "pk", "supervisee_id", "supervisee__legal_name",
                  "service__organisation__name", "service__name", "status", "consent_at")


def _reviews(scope, mine, today, targets, values):
    from casework.models import HelpPlan

    qs = (HelpPlan.objects
          .filter(supervisee__in=_people(scope, mine, values, active=True).values("pk"),
                  review_on__lte=today)
          .order_by("review_on", "pk"))
    return _first(qs, "supervisee_id", "supervisee__legal_name", "review_on")


def _releasing(scope, mine, today, targets, values):
    from casework.selectors import RELEASE_DAYS, _sum_subquery
    from portal.people.models import MonthHours
    from volunteering.models import Certificate

    volunteer = MonthHours.objects.filter(supervisee=OuterRef("pk"))
    certified = Certificate.objects.filter(supervisee=OuterRef("pk"), revoked_at__isnull=True)
    qs = (_people(scope, mine, values, active=True)
          .filter(term_end__range=(today, today + datetime.timedelta(days=RELEASE_DAYS)))
          .annotate(volunteer_hours=_sum_subquery(volunteer, "volunteer"),
                    certified_hours=_sum_subquery(certified, "hours"))
          .order_by("term_end", "pk"))
    return _first(qs, "pk", "legal_name", "term_end", "volunteer_hours", "certified_hours",
                  "unit__name")


SECTIONS = {"behind": (_behind, {}), "unconfirmed": (_waiting, {"week_ago": datetime.datetime}),
            "overdue": (_overdue, {"before": datetime.datetime}),
            "reviews": (_reviews, {}), "releasing": (_releasing, {})}


@Variants
def _section(name, scope, mine, today, targets):
    make, moments = SECTIONS[name]
    arguments = ({"viewer_id": int} if mine or scope_names_viewer(scope) else {}) | moments

    def build(**values):
        return make(scope, mine, today, targets, values)

    return _with_signature(build, arguments)


def _targets_key(level_targets) -> tuple:
    return tuple(sorted((level, t.study_hours, t.service_hours)
                        for level, t in level_targets.items()))


_new = tuple.__new__


def _split(rows) -> tuple[list, int]:
    return [row[:-1] for row in rows], (rows[0][-1] if rows else 0)


def today_rows(user, *, mine: bool, now: datetime.datetime, level_targets) -> dict:
    """The today list of what `user` may see as staff (only the people assigned to them
    when `mine`), at `now`: {section: rows, section_count: total, "today": day}, the
    sections and keys of selectors.today_list."""
    from django.utils import timezone

    from casework.selectors import UNCONFIRMED_AFTER_DAYS
    from helpnet.models import HelpNetworkSettings, overdue_after_days
    from portal.privatecache import kept_while_unchanged

    today = timezone.localdate(now)
    scope = staff_scope(user)
    days = kept_while_unchanged("helpnet:overdue-days",
                                (HelpNetworkSettings._meta.db_table,), overdue_after_days)
    moments = {"week_ago": now - datetime.timedelta(days=UNCONFIRMED_AFTER_DAYS),
               "before": now - datetime.timedelta(days=days)}
    targets = _targets_key(level_targets)
    calls = []
    for name, (_make, wanted) in SECTIONS.items():
        query = _section[name, scope, mine, today, targets]
        values = {key: moments[key] for key in wanted}
        if "viewer_id" in query.kinds:
            values["viewer_id"] = user.pk
        calls.append((name, query, values))
    with ahead(*[(query, values) for _name, query, values in calls]):
        found = {name: query(**values) for name, query, values in calls}

    data: dict = {"today": today}
    rows, data["behind_count"] = _split(found["behind"])
    # tuple.__new__(Row, row) is Row(*row), without the named tuple's own __new__.
    data["behind"] = [_new(Behind, row) for row in rows]
    rows, data["unconfirmed_count"] = _split(found["unconfirmed"])
    data["unconfirmed"] = [
        _new(Waiting, (person, name, hours, kind, day, organisation if organisation is not None
                       else unit or ""))
        for person, name, hours, kind, day, organisation, unit in rows]
    rows, data["overdue_count"] = _split(found["overdue"])
    data["overdue"] = [_new(Overdue, (pk, person, name, f"{organisation} · {service}", status,
                                      at))
                       for pk, person, name, organisation, service, status, at in rows]
    rows, data["reviews_count"] = _split(found["reviews"])
    data["reviews"] = [_new(Review, row) for row in rows]
    rows, data["releasing_count"] = _split(found["releasing"])
    data["releasing"] = [
        _new(Releasing, (pk, name, end, (end - today).days, volunteer, certified,
                         volunteer > certified, unit))
        for pk, name, end, volunteer, certified, unit in rows]
    return data

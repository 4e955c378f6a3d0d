"""The today list: each section's first TODAY_LIMIT rows and its total, as plain rows
(named tuples), one statement a section with the total as a window count on its rows."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Count, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.access import ALL_UNITS, scope_q, staff_scope, supervisees_in_scope

TOTAL = "xy_total"


class Behind(NamedTuple):
    pk: int
    legal_name: str
    level: str
    study_month: object
    study_expected: object
    service_month: object
    service_planned: object
    service_expected: object
    unit_name: str

    @property
    def level_label(self) -> str:
        from portal.people.models import ManagementLevel

        return dict(ManagementLevel.choices).get(self.level, self.level)


class Unreachable(NamedTuple):
    """A person whose monthly public-welfare target no open activity can still meet."""

    pk: int
    legal_name: str
    level: str
    needed: object
    open_hours: object
    days_left: int
    unit_name: str

    @property
    def level_label(self) -> str:
        from portal.people.models import ManagementLevel

        return dict(ManagementLevel.choices).get(self.level, self.level)


class Waiting(NamedTuple):
    supervisee_id: int
    legal_name: str
    hours: object
    kind: str
    service_date: datetime.date
    recorder_name: str

    @property
    def kind_label(self) -> str:
        from volunteering.models import ServiceKind

        return dict(ServiceKind.choices).get(self.kind, self.kind)


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


def _first(qs, *fields) -> tuple[list, int]:
    """The first TODAY_LIMIT rows of `qs` as value tuples, and how many rows it has."""
    from casework.selectors import TODAY_LIMIT

    rows = list(qs.annotate(**{TOTAL: Window(Count("pk"))})
                .values_list(*fields, TOTAL)[:TODAY_LIMIT])
    return [row[:-1] for row in rows], (rows[0][-1] if rows else 0)


def _behind(people, today, level_targets):
    from casework.selectors import behind_q, with_month_standing

    qs = (with_month_standing(people, today=today, level_targets=level_targets)
          .filter(behind_q()).order_by("legal_name", "pk"))
    rows, total = _first(qs, "pk", "legal_name", "level", "study_month", "study_expected",
                         "service_month", "service_planned", "service_expected", "unit__name")
    return [Behind(*row) for row in rows], total


def _unreachable(people, now):
    """People whose target this month no open public-welfare activity they may join can
    still meet (volunteering.selectors.month_targets: a fixed number of queries for the
    whole list), by name."""
    from casework.selectors import TODAY_LIMIT
    from volunteering.selectors import month_targets

    found = sorted(((p, t) for p, t in month_targets(people, now=now) if not t.reachable),
                   key=lambda pt: (pt[0].legal_name, pt[0].pk))
    return [Unreachable(p.pk, p.legal_name, p.level, t.needed, t.open_hours, t.days_left,
                        p.unit.name) for p, t in found[:TODAY_LIMIT]], len(found)


def _waiting(user, scope, mine, everyone, week_ago):
    """Hours waiting for confirmation for over a week. In a scope, the waiting rows are
    read by their copies of the person's unit, caseworker and flags (kept by the triggers
    of portal/rollups.py), and the names only for the rows shown."""
    from portal.organisations.models import Organisation, Unit
    from portal.people.models import Supervisee
    from volunteering.models import HoursEntry, UnconfirmedHours

    if scope == ALL_UNITS:
        ids = (UnconfirmedHours.objects
               .filter(supervisee__in=everyone.values("pk"), recorded_at__lt=week_ago)
               .values("entry_id"))
        qs = HoursEntry.objects.filter(pk__in=ids).order_by("recorded_at", "pk")
        fields = ("supervisee_id", "supervisee__legal_name", "hours", "kind", "service_date",
                  "organisation__name", "unit__name")
    else:
        qs = UnconfirmedHours.objects.filter(scope_q(scope, user.pk, prefix="person_"),
                                             recorded_at__lt=week_ago)
        if mine:
            qs = qs.filter(person_caseworker_id=user.pk)
        qs = qs.annotate(
            xy_name=Subquery(Supervisee.objects.filter(pk=OuterRef("supervisee_id"))
                             .order_by().values("legal_name")),
            xy_organisation=Subquery(Organisation.objects.filter(pk=OuterRef("organisation_id"))
                                     .order_by().values("name")),
            xy_unit=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).order_by()
                             .values("name"))).order_by("recorded_at", "entry_id")
        fields = ("supervisee_id", "xy_name", "hours", "kind", "service_date",
                  "xy_organisation", "xy_unit")
    rows, total = _first(qs, *fields)
    # Who recorded the hours: the organisation, else the unit.
    return [Waiting(person, name, hours, kind, day,
                    organisation if organisation is not None else unit or "")
            for person, name, hours, kind, day, organisation, unit in rows], total


def _overdue(everyone, before):
    from helpnet.models import Referral

    qs = (Referral.objects
          .filter(status=Referral.Status.PENDING, consent_at__lt=before,
                  supervisee__in=everyone.values("pk"))
          .order_by("consent_at", "pk"))
    rows, total = _first(qs, "pk", "supervisee_id", "supervisee__legal_name",
                         "service__organisation__name", "service__name", "status",
                         "consent_at")
    return [Overdue(pk, person, name, f"{organisation} · {service}", status, at)
            for pk, person, name, organisation, service, status, at in rows], total


def _reviews(people, today):
    from casework.models import HelpPlan

    qs = (HelpPlan.objects.filter(supervisee__in=people.values("pk"), review_on__lte=today)
          .order_by("review_on", "pk"))
    rows, total = _first(qs, "supervisee_id", "supervisee__legal_name", "review_on")
    return [Review(*row) for row in rows], total


def _releasing(people, today):
    from casework.selectors import HOURS, RELEASE_DAYS, ZERO, sum_subquery
    from portal.people.models import MonthHours
    from volunteering.models import Certificate

    volunteer = MonthHours.objects.filter(supervisee=OuterRef("pk"))
    # The record in force: the newest neither revoked nor replaced (each lists all hours).
    certified = (Certificate.objects.in_force().filter(supervisee=OuterRef("pk"))
                 .order_by("-issued_at", "-pk").values("hours")[:1])
    qs = (people.filter(term_end__range=(today, today + datetime.timedelta(days=RELEASE_DAYS)))
          .annotate(volunteer_hours=sum_subquery(volunteer, "volunteer"),
                    certified_hours=Coalesce(Subquery(certified, output_field=HOURS),
                                             Value(ZERO), output_field=HOURS))
          .order_by("term_end", "pk"))
    rows, total = _first(qs, "pk", "legal_name", "term_end", "volunteer_hours",
                         "certified_hours", "unit__name")
    return [Releasing(pk, name, end, (end - today).days, volunteer, certified,
                      volunteer > certified, unit)
            for pk, name, end, volunteer, certified, unit in rows], total


def today_rows(user, *, mine: bool, now: datetime.datetime, level_targets) -> dict:
    """The today list of what `user` may see as staff (only the people assigned to them
    when `mine`), at `now`: {section: rows, section_count: total, "today": day}."""
    from casework.selectors import UNCONFIRMED_AFTER_DAYS
    from helpnet.models import overdue_after_days
    from portal.people.models import Supervisee

    today = timezone.localdate(now)
    scope = staff_scope(user)
    everyone = supervisees_in_scope(scope, user.pk)
    if mine:
        everyone = everyone.filter(caseworker_id=user.pk)
    active = everyone.filter(status=Supervisee.Status.IN_CORRECTION)
    week_ago = now - datetime.timedelta(days=UNCONFIRMED_AFTER_DAYS)
    before = now - datetime.timedelta(days=overdue_after_days())
    data: dict = {"today": today}
    data["behind"], data["behind_count"] = _behind(active, today, level_targets)
    data["unreachable"], data["unreachable_count"] = _unreachable(active, now)
    data["unconfirmed"], data["unconfirmed_count"] = _waiting(user, scope, mine, everyone,
                                                              week_ago)
    data["overdue"], data["overdue_count"] = _overdue(everyone, before)
    data["reviews"], data["reviews_count"] = _reviews(active, today)
    data["releasing"], data["releasing_count"] = _releasing(active, today)
    return data

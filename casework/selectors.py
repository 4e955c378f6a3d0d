"""Reads for casework: a person's plan, standing and timeline, the caseload's monthly
standing as annotations, and a unit's outcome figures. Each takes what the caller already
scoped through portal.access (a visible queryset, person or unit) or the acting user."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from courses.models import StudyHoursEntry
from helpnet.models import Referral
from portal.people.models import LevelTarget, Supervisee
from portal.timeline import Event, sources
from volunteering.models import HoursEntry, ServiceKind

from .models import HelpPlan, HelpPlanRevision

ZERO = Decimal("0")
HOURS = DecimalField(max_digits=9, decimal_places=2)
RELEASE_DAYS = 30
UNCONFIRMED_AFTER_DAYS = 7
TODAY_LIMIT = 50


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def add_months(day: datetime.date, n: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def sum_subquery(qs, field_name: str):
    """The sum of `field_name` over `qs` (rows of one person, by OuterRef), 0 when none."""
    return Coalesce(
        Subquery(qs.order_by().values("supervisee").annotate(s=Sum(field_name)).values("s")[:1],
                 output_field=HOURS),
        Value(ZERO), output_field=HOURS)


# --- Monthly standing, as annotations ----------------------------------------------------------

def targets() -> dict[str, LevelTarget]:
    from portal.people.selectors import monthly_targets

    return monthly_targets()


def with_month_standing(qs, *, today: datetime.date | None = None, level_targets=None):
    """Annotate each person with this month's study hours (`study_month`), public-welfare
    hours done (`service_month`: confirmed or waiting for confirmation), the planned hours
    of this month's public-welfare places not yet credited (`service_planned`), what is
    expected by today pro rata (`study_expected`, `service_expected`) and so `behind_q`
    (in correction and short of either: service done and signed up for counts against its
    share, docs/domain.md rule 8). One query with the list; the month's figures are one
    row per person of the ledgers' monthly roll-up (portal/rollups.py), not a sum over
    their entries, and the planned hours a subquery on the person's sign-ups."""
    from volunteering.selectors import signed_up_hours

    today = today or timezone.localdate()
    first, last = month_bounds(today)
    share = Decimal(today.day) / Decimal(last.day)
    level_targets = targets() if level_targets is None else level_targets

    def expected(attr):
        whens = [When(level=level, then=Value((getattr(t, attr) * share).quantize(
            Decimal("0.1")))) for level, t in level_targets.items()]
        return (Case(*whens, default=Value(ZERO), output_field=HOURS) if whens
                else Value(ZERO, output_field=HOURS))

    # One LEFT JOIN of the person's row for the month (unique per person and month).
    qs = qs.annotate(xy_month=FilteredRelation("month_hours",
                                               condition=Q(month_hours__month=first)))
    noon = datetime.datetime.combine(today, datetime.time(12), timezone.get_current_timezone())
    qs = qs.annotate(
        study_month=Coalesce(F("xy_month__study"), Value(ZERO), output_field=HOURS),
        service_month=Coalesce(F("xy_month__public_welfare"), Value(ZERO),
                               output_field=HOURS),
        service_planned=signed_up_hours(now=noon),
        study_expected=expected("study_hours"),
        service_expected=expected("service_hours"),
    )
    return qs.annotate(service_toward=F("service_month") + F("service_planned"))


def behind_q() -> Q:
    return Q(status=Supervisee.Status.IN_CORRECTION) & (
        Q(study_month__lt=F("study_expected"))
        | Q(service_expected__gt=F("service_toward")))


def with_open_referrals(qs):
    open_refs = (Referral.objects.open().filter(supervisee=OuterRef("pk")).order_by()
                 .values("supervisee").annotate(n=Count("pk")).values("n")[:1])
    return qs.annotate(open_referrals=Coalesce(Subquery(open_refs, output_field=IntegerField()),
                                               Value(0)))


def has_open_referral_q() -> Q:
    return Q(Exists(Referral.objects.open().filter(supervisee=OuterRef("pk"))))


# --- One person --------------------------------------------------------------------------------

def plan_of(supervisee) -> HelpPlan | None:
    return (HelpPlan.objects.filter(supervisee=supervisee).select_related("updated_by")
            .prefetch_related("courses").first())


def plan_history(supervisee, limit: int = 50) -> list[HelpPlanRevision]:
    """The plan's revisions, newest first, each with `changed_labels` (field names put
    in words)."""
    labels = {f.name: f.verbose_name for f in HelpPlan._meta.get_fields()
              if hasattr(f, "verbose_name")}
    rows = list(HelpPlanRevision.objects.filter(supervisee=supervisee)
                .select_related("changed_by").order_by("-changed_at", "-number")[:limit])
    for r in rows:
        r.changed_labels = [str(labels.get(name, name)) for name in r.changed_fields]
    return rows


@dataclass
class MonthRow:
    month: datetime.date
    study: Decimal
    service: Decimal
    study_target: Decimal | None
    service_target: Decimal | None

    @property
    def study_met(self) -> bool:
        return self.study_target is None or self.study >= self.study_target

    @property
    def service_met(self) -> bool:
        return self.service_target is None or self.service >= self.service_target


@dataclass
class Standing:
    today: datetime.date
    target: LevelTarget | None
    study_month: Decimal = ZERO
    service_month: Decimal = ZERO  # confirmed: what counts toward the target
    service_waiting: Decimal = ZERO  # recorded, waiting for confirmation
    service_planned: Decimal = ZERO  # this month's places signed up for, not yet credited
    study_expected_now: Decimal = ZERO
    service_expected_now: Decimal = ZERO
    study_term: Decimal = ZERO
    service_term: Decimal = ZERO
    study_term_expected: Decimal = ZERO
    service_term_expected: Decimal = ZERO
    months: list[MonthRow] = field(default_factory=list)

    @property
    def behind_study(self) -> bool:
        return self.study_month < self.study_expected_now

    @property
    def behind_service(self) -> bool:
        """Done (confirmed or waiting) and signed up for is short of the share due by
        today (docs/domain.md rule 8)."""
        return (self.service_month + self.service_waiting + self.service_planned
                < self.service_expected_now)


def standing_for(supervisee, *, today: datetime.date | None = None) -> Standing:
    """This month and the term so far against the level's monthly targets. Four queries.
    The term's expectation counts every whole month of the term so far plus this month
    pro rata; months before the person was on the portal count like any other."""
    today = today or timezone.localdate()
    from portal.people.selectors import target_for

    target = target_for(supervisee)
    term_start = supervisee.term_start
    term_end = min(supervisee.term_end, today)
    first, last = month_bounds(today)
    study = dict(
        StudyHoursEntry.objects.filter(supervisee=supervisee,
                                       credited_on__range=(term_start, term_end))
        .annotate(m=TruncMonth("credited_on")).values("m").annotate(s=Sum("hours"))
        .order_by().values_list("m", "s"))
    service = dict(
        HoursEntry.objects.filter(supervisee=supervisee, kind=ServiceKind.PUBLIC_WELFARE,
                                  confirmation__isnull=False,
                                  service_date__range=(term_start, term_end))
        .annotate(m=TruncMonth("service_date")).values("m").annotate(s=Sum("hours"))
        .order_by().values_list("m", "s"))
    study = {_as_date(k): v or ZERO for k, v in study.items()}
    service = {_as_date(k): v or ZERO for k, v in service.items()}
    s = Standing(today=today, target=target)
    s.study_month = study.get(first, ZERO)
    s.service_month = service.get(first, ZERO)
    from portal.people.models import MonthHours
    from volunteering.selectors import signed_up_hours

    noon = datetime.datetime.combine(today, datetime.time(12), timezone.get_current_timezone())
    recorded = MonthHours.objects.filter(supervisee=OuterRef("pk"), month=first)
    month = Supervisee.objects.filter(pk=supervisee.pk).annotate(
        xy_pw=Subquery(recorded.values("public_welfare")[:1]),
        xy_planned=signed_up_hours(now=noon)).values("xy_pw", "xy_planned").first() or {}
    s.service_waiting = (month.get("xy_pw") or ZERO) - s.service_month
    s.service_planned = month.get("xy_planned") or ZERO
    s.study_term = sum(study.values(), ZERO)
    s.service_term = sum(service.values(), ZERO)
    months = []
    month = term_start.replace(day=1)
    while month <= term_end.replace(day=1):
        months.append(month)
        month = add_months(month, 1)
    share = Decimal(today.day) / Decimal(last.day)
    if target is not None:
        whole = sum(1 for m in months if m < first)
        current = share if first in months else ZERO
        s.study_expected_now = (target.study_hours * share).quantize(Decimal("0.1"))
        s.service_expected_now = (target.service_hours * share).quantize(Decimal("0.1"))
        s.study_term_expected = (target.study_hours * (whole + current)).quantize(Decimal("0.1"))
        s.service_term_expected = (target.service_hours * (whole + current)).quantize(
            Decimal("0.1"))
    s.months = [
        MonthRow(month=m, study=study.get(m, ZERO), service=service.get(m, ZERO),
                 study_target=target.study_hours if target else None,
                 service_target=target.service_hours if target else None)
        for m in reversed(months[-12:])
    ]
    return s


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


TIMELINE_KINDS = ("course", "attendance", "hours", "signup", "application", "placement",
                  "referral", "appointment", "fund", "plan")


def timeline(supervisee, *, viewer, kinds=(), date_from=None, date_to=None,
             limit: int = 300) -> list[Event]:
    """Every source's events about the person, newest first, filtered by kind and by
    date (local dates, both ends included)."""
    events = []
    for source in sources():
        events.extend(source(supervisee, viewer=viewer))
    if kinds:
        events = [e for e in events if e.kind in kinds]
    if date_from:
        events = [e for e in events if timezone.localdate(e.when) >= date_from]
    if date_to:
        events = [e for e in events if timezone.localdate(e.when) <= date_to]
    events.sort(key=lambda e: e.when, reverse=True)
    return events[:limit]


# --- A unit's outcomes -------------------------------------------------------------------------

@dataclass
class UnitRow:
    unit: object
    depth: int = 0
    in_help: int = 0
    completions: int = 0
    study: Decimal = ZERO
    service: Decimal = ZERO
    placed: int = 0
    referrals_closed: int = 0


@dataclass
class Outcomes:
    unit: object
    start: datetime.date
    end: datetime.date
    months: list[datetime.date]
    people: dict
    completions: dict  # month → n
    study: dict  # month → hours
    service: dict  # month → {kind: hours}
    placements: dict  # month → n
    placed: int
    followed_90: int
    employed_90: int
    referrals_open: int
    referral_outcomes: list  # (label, n)
    referrals_closed: int
    unit_rows: list[UnitRow]

    @property
    def completions_total(self) -> int:
        return sum(self.completions.values())

    @property
    def study_total(self) -> Decimal:
        return sum(self.study.values(), ZERO)

    def service_total(self, kind=None) -> Decimal:
        return sum((sum(v.values(), ZERO) if kind is None else v.get(kind, ZERO)
                    for v in self.service.values()), ZERO)

    @property
    def public_welfare_total(self) -> Decimal:
        return self.service_total(ServiceKind.PUBLIC_WELFARE)

    @property
    def volunteer_total(self) -> Decimal:
        return self.service_total(ServiceKind.VOLUNTEER_SERVICE)

    @property
    def month_rows(self) -> list[dict]:
        return [{"month": m, "completions": self.completions.get(m, 0),
                 "study": self.study.get(m, ZERO),
                 "public_welfare": self.service.get(m, {}).get(ServiceKind.PUBLIC_WELFARE, ZERO),
                 "volunteer": self.service.get(m, {}).get(ServiceKind.VOLUNTEER_SERVICE, ZERO),
                 "placements": self.placements.get(m, 0)} for m in self.months]


def _by_month(rows) -> dict:
    return {_as_date(m).replace(day=1): v for m, v in rows if m is not None}


def unit_outcomes(user, unit, *, start: datetime.date, end: datetime.date) -> Outcomes:
    """Outcome figures for `unit` and the units below it over [start, end], counting only
    the people `user` may see as staff; hours count whole months (casework/outcomes.py)."""
    from .outcomes import unit_outcomes as read

    return read(user, unit, start=start, end=end)


def fold_outcomes(unit, start: datetime.date, end: datetime.date, found: dict) -> Outcomes:
    """Outcomes from the rows of casework/outcomes.py's reads (`found`: name →
    rows), each grouped by the person's unit id."""
    months = []
    m = start.replace(day=1)
    while m <= end:
        months.append(m)
        m = add_months(m, 1)

    # Per sub-unit: the unit itself and its children, each with everything below it.
    rows = [UnitRow(unit=unit)] + [UnitRow(unit=c, depth=1) for c in found["children"]]
    below = [(row.unit.path, row.__dict__) for row in rows[1:]]
    # Each unit of the subtree → the figures it adds to (the unit's, and its child's).
    into: dict = {}
    for pk, path in found["units"]:
        targets = [rows[0].__dict__]
        for prefix, figures in below:
            if path.startswith(prefix):
                targets.append(figures)
                break
        into[pk] = targets

    top = [rows[0].__dict__]

    def fold(unit_id, value, attr):
        if value is None:
            return
        for figures in into.get(unit_id, top):  # a unit made since the units were read
            figures[attr] += value

    figures = {"in_correction": 0, "released": 0, "juveniles": 0}
    in_correction, released = Supervisee.Status.IN_CORRECTION, Supervisee.Status.RELEASED
    for unit_id, status, juvenile, n in found["people"]:
        if status == in_correction:
            figures["in_correction"] += n
            figures["juveniles"] += n if juvenile else 0
        elif status == released:
            figures["released"] += n
        if status in (in_correction, released):
            fold(unit_id, n, "in_help")
    figures["in_help"] = figures["in_correction"] + figures["released"]

    def by_month_and_unit(found_rows, attr):
        result: dict = {}
        for m, unit_id, value in found_rows:
            fold(unit_id, value, attr)
            if m is None:
                continue
            month = _as_date(m).replace(day=1)
            result[month] = result.get(month, 0) + (value or 0)
        return result

    completions = by_month_and_unit(found["completions"], "completions")
    study: dict = {}
    service: dict = {}
    pw_kind, volunteer_kind = ServiceKind.PUBLIC_WELFARE, ServiceKind.VOLUNTEER_SERVICE
    for m, unit_id, hours, public_welfare, volunteer, *_completions in found["hours"]:
        month = _as_date(m)
        fold(unit_id, hours, "study")
        fold(unit_id, public_welfare + volunteer, "service")
        study[month] = study.get(month, ZERO) + hours
        kinds = service.setdefault(month, {})
        kinds[pw_kind] = kinds.get(pw_kind, ZERO) + public_welfare
        kinds[volunteer_kind] = kinds.get(volunteer_kind, ZERO) + volunteer
    placements = by_month_and_unit(found["placements"], "placed")
    followed, still = found["follow_ups"][0] if found["follow_ups"] else (0, 0)
    by_outcome: dict = {}
    for outcome, unit_id, n in found["closed"]:
        by_outcome[outcome] = by_outcome.get(outcome, 0) + n
        fold(unit_id, n, "referrals_closed")
    outcome_rows = [(label, by_outcome.get(value, 0))
                    for value, label in Referral.Outcome.choices]
    if by_outcome.get(""):
        outcome_rows.append((_no_outcome_label(), by_outcome[""]))
    referrals_open = sum(n for _status, n in found["open"])

    return Outcomes(
        unit=unit, start=start, end=end, months=months, people=figures,
        completions=completions, study=study,
        service=service, placements=placements, placed=sum(placements.values()),
        followed_90=followed, employed_90=still, referrals_open=referrals_open,
        referral_outcomes=outcome_rows, referrals_closed=sum(by_outcome.values()),
        unit_rows=rows,
    )


def _no_outcome_label():
    from django.utils.translation import gettext

    return gettext("No outcome recorded")

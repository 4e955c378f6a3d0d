"""What each role's dashboard shows. Every figure comes from the database; the number of
queries does not grow with the number of people or units (tests/dashboard)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from portal.access import Role, actor_for, units_administered_by
from portal.organisations.models import Membership, Organisation, Unit
from portal.people.models import ManagementLevel, Supervisee
from portal.taxonomy.models import District

LEVELS = [level for level, _label in ManagementLevel.choices]


@dataclass
class UnitRow:
    unit: object
    # People whose record is in this very unit, by level (in correction) and status.
    levels: dict = field(default_factory=dict)
    in_correction: int = 0
    released: int = 0
    # The same, for the unit and every unit below it.
    subtree_in_correction: int = 0
    subtree_released: int = 0
    caseworkers: int = 0
    admins: int = 0

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def indent(self) -> int:
        return self.unit.depth


def unit_rows(user) -> list[UnitRow]:
    """Each unit the user administers (every unit for a superuser), top-down, with its
    people by level and status and its staff. Three queries whatever the size."""
    units = list(units_administered_by(user).order_by("path"))
    if not units:
        return []
    ids = [u.pk for u in units]
    rows = {u.pk: UnitRow(unit=u, levels=dict.fromkeys(LEVELS, 0)) for u in units}
    people = (
        Supervisee.objects.filter(unit_id__in=ids)
        .filter(status__in=[Supervisee.Status.IN_CORRECTION, Supervisee.Status.RELEASED])
        .values("unit_id", "status", "level").annotate(n=Count("pk")).order_by()
    )
    for item in people:
        row = rows[item["unit_id"]]
        if item["status"] == Supervisee.Status.IN_CORRECTION:
            row.in_correction += item["n"]
            row.levels[item["level"]] = row.levels.get(item["level"], 0) + item["n"]
        else:
            row.released += item["n"]
    staff = (
        Membership.objects.filter(unit_id__in=ids).values("unit_id", "role")
        .annotate(n=Count("user_id", distinct=True)).order_by()
    )
    for item in staff:
        if item["role"] == Membership.Role.UNIT_ADMIN:
            rows[item["unit_id"]].admins = item["n"]
        else:
            rows[item["unit_id"]].caseworkers = item["n"]
    ordered = [rows[u.pk] for u in units]
    for row in ordered:
        below = [r for r in ordered if r.unit.path.startswith(row.unit.path)]
        row.subtree_in_correction = sum(r.in_correction for r in below)
        row.subtree_released = sum(r.released for r in below)
    return ordered


# Colours with at least 4.5:1 contrast against white, so the bars read on any screen.
LEVEL_COLOURS = {"strict": "#b42318", "ordinary": "#9a4d00", "lenient": "#1a7f37"}


def level_chart(rows: list[UnitRow], *, width: int = 640, label_width: int = 150,
                number_width: int = 60, row_height: int = 30) -> dict | None:
    """A horizontal stacked bar per unit (people in correction by level), as numbers the
    template turns into SVG. Units holding nobody directly and having sub-units are left
    out: their people are in the sub-units' bars."""
    shown = [r for r in rows if r.in_correction or not r.unit.numchild]
    if not shown:
        return None
    bar_area = width - label_width - number_width
    biggest = max((r.in_correction for r in shown), default=0) or 1
    bars = []
    for index, row in enumerate(shown):
        x = label_width
        segments = []
        for level, label in ManagementLevel.choices:
            n = row.levels.get(level, 0)
            w = round(bar_area * n / biggest, 1)
            if n:
                segments.append({"x": x, "width": w, "n": n, "label": label,
                                  "colour": LEVEL_COLOURS[level]})
            x += w
        label = row.name if len(row.name) <= 9 else row.name[:8] + "…"
        bars.append({"y": index * row_height, "label": label, "full_name": row.name,
                     "segments": segments, "total": row.in_correction, "number_x": x + 6})
    legend = [{"label": label, "colour": LEVEL_COLOURS[level]}
              for level, label in ManagementLevel.choices]
    return {"width": width, "height": len(bars) * row_height + 4, "row_height": row_height,
            "bar_height": row_height - 10, "label_width": label_width, "bars": bars,
            "legend": legend}


def partner_counts(user) -> list[tuple[str, int]]:
    """Active partners working with the user's administered units, by kind."""
    actor = actor_for(user)
    qs = Organisation.objects.filter(is_active=True)
    if not actor.has(Role.SUPERUSER):
        qs = qs.filter(partner_unit__in=units_administered_by(user))
    counts = dict(qs.values("kind").annotate(n=Count("pk")).values_list("kind", "n").order_by())
    return [(label, counts.get(kind, 0)) for kind, label in Organisation.Kind.choices]


def staff_totals(rows: list[UnitRow]) -> dict:
    return {"caseworkers": sum(r.caseworkers for r in rows), "admins": sum(r.admins for r in rows)}


def partner_overview(user) -> dict:
    """A partner's own organisations and colleagues. Nothing about supervisees."""
    actor = actor_for(user)
    organisations = sorted(actor.organisations, key=lambda o: o.name)
    colleagues = (
        Membership.objects.filter(organisation__in=organisations)
        .exclude(user=user).select_related("user", "organisation")
        .order_by("organisation__name", "user__display_name")
    )
    district_ids = {o.district_id for o in organisations if o.district_id}
    unit_ids = {o.partner_unit_id for o in organisations if o.partner_unit_id}
    districts = dict(District.objects.filter(pk__in=district_ids).values_list("pk", "name"))
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    for org in organisations:
        org.district_name = districts.get(org.district_id, "")
        org.partner_unit_name = units.get(org.partner_unit_id, "")
    return {"organisations": organisations, "colleagues": list(colleagues)}


def editor_overview(user) -> dict:
    from wagtail.models import Page

    pages = (
        Page.objects.filter(depth__gt=1).defer_streamfields()
        .order_by("-latest_revision_created_at", "-pk")[:10]
    )
    drafts = Page.objects.filter(has_unpublished_changes=True, depth__gt=1)
    return {"recent_pages": list(pages), "drafts": drafts.count(),
            "draft_pages": list(drafts.order_by("-latest_revision_created_at", "-pk")[:10])}


def _person_with_flags(supervisee_id: int, month: datetime.date, today: datetime.date):
    """The person's record with whether each court-ordered list exists, the month's hours
    from the monthly roll-up (portal/rollups.py) and the level's targets, in one
    statement."""
    from django.db.models import Exists, OuterRef, Subquery

    from portal.people.models import (
        LevelTarget,
        MonthHours,
        OccupationalBan,
        ProhibitionOrder,
        TravelApproval,
    )

    current_travel = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    hours = MonthHours.objects.filter(supervisee=OuterRef("pk"), month=month)
    target = LevelTarget.objects.filter(level=OuterRef("level")).order_by()
    return (
        Supervisee.objects.select_related("unit__district", "caseworker", "home_district")
        .annotate(
            xy_p=Exists(ProhibitionOrder.objects.filter(supervisee=OuterRef("pk"))),
            xy_b=Exists(OccupationalBan.objects.filter(supervisee=OuterRef("pk"))),
            xy_t=Exists(TravelApproval.objects.filter(current_travel,
                                                      supervisee=OuterRef("pk"))),
            xy_study=Subquery(hours.values("study")[:1]),
            xy_pw=Subquery(hours.values("public_welfare")[:1]),
            xy_pw_confirmed=Subquery(hours.values("public_welfare_confirmed")[:1]),
            xy_vs=Subquery(hours.values("volunteer")[:1]),
            xy_target_pk=Subquery(target.values("pk")[:1]),
            xy_study_target=Subquery(target.values("study_hours")[:1]),
            xy_target=Subquery(target.values("service_hours")[:1]),
        ).filter(pk=supervisee_id)
    )


def supervisee_overview(supervisee_id: int) -> dict:
    """The person's own record, term, court orders, the level's targets, this month's
    study hours and their public-welfare standing (volunteering.selectors.month_target:
    what counts, what is done, signed up for and still needed, and whether the open
    activities can still meet it), for their dashboard; only the lists that exist are
    read."""
    from django.db.models import Prefetch
    from django.db.models import prefetch_related_objects as prefetch

    from portal.people.models import LevelTarget, ProhibitionOrder, TravelApproval
    from volunteering.selectors import month_target

    now = timezone.now()
    today = timezone.localdate(now)
    current_travel = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    found = list(_person_with_flags(supervisee_id=supervisee_id,
                                    month=today.replace(day=1), today=today))
    if not found:
        raise Supervisee.DoesNotExist
    supervisee = found[0]
    # The lists are read once (and not at all when empty), for the page and for the
    # activities the person may be offered alike.
    prefetch([supervisee], Prefetch("prohibitions", queryset=(
        ProhibitionOrder.objects.select_related("venue_type", "district") if supervisee.xy_p
        else ProhibitionOrder.objects.none())), Prefetch("travel_approvals", queryset=(
            TravelApproval.objects.select_related("destination").filter(current_travel)
            if supervisee.xy_t else TravelApproval.objects.none())))
    prohibitions = [p for p in supervisee.prohibitions.all() if p.is_active(today)]
    bans = [b for b in supervisee.occupational_bans.select_related("industry")
            if b.is_active(today)] if supervisee.xy_b else []
    target = None
    if supervisee.xy_target_pk is not None:
        target = LevelTarget(pk=supervisee.xy_target_pk, level=supervisee.level,
                             study_hours=supervisee.xy_study_target,
                             service_hours=supervisee.xy_target)
    zero = Decimal("0")
    month = month_target(supervisee, now=now, figures={
        name: getattr(supervisee, name) for name in ("xy_pw", "xy_pw_confirmed", "xy_vs",
                                                     "xy_target")})
    return {"supervisee": supervisee, "today": today, "prohibitions": prohibitions,
            "bans": bans, "travel": list(supervisee.travel_approvals.all()),
            "target": target, "month_target": month,
            "study_done": supervisee.xy_study if supervisee.xy_study is not None else zero,
            "service_done": month.confirmed if month else zero}

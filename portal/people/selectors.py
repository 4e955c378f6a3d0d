import datetime

from django.db.models import Count, Q
from django.utils import timezone

from portal.access import supervisees_visible_to
from portal.people.models import Consent, LevelTarget, Supervisee


def caseload_for(user, *, filters: dict | None = None):
    """Supervisees this staff member may see, ready to list (unit and caseworker joined)."""
    qs = supervisees_visible_to(user).select_related("unit", "caseworker")
    filters = filters or {}
    if filters.get("mine"):
        qs = qs.filter(caseworker=user)
    return qs


def caseload_filter(user, data):
    """The caseload as the filter form asks for it; `.qs` is the filtered list and
    `.form.errors` names the values that were ignored."""
    from .filters import CaseloadFilter

    return CaseloadFilter(data or None, queryset=caseload_for(user), user=user)


def caseload_summary(user) -> dict:
    """Figures over everyone the user may see, and the people assigned to them."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=30)
    qs = supervisees_visible_to(user)
    active = Q(status=Supervisee.Status.IN_CORRECTION)
    figures = qs.aggregate(
        in_correction=Count("pk", filter=active),
        released=Count("pk", filter=Q(status=Supervisee.Status.RELEASED)),
        mine=Count("pk", filter=active & Q(caseworker=user)),
        strict=Count("pk", filter=active & Q(level="strict")),
        ordinary=Count("pk", filter=active & Q(level="ordinary")),
        lenient=Count("pk", filter=active & Q(level="lenient")),
        juveniles=Count("pk", filter=active & Q(is_juvenile=True)),
        releasing_soon=Count("pk", filter=active & Q(term_end__range=(today, soon))),
    )
    releasing = list(
        qs.filter(active, term_end__range=(today, soon))
        .select_related("unit").order_by("term_end", "pk")[:10]
    )
    return {"figures": figures, "releasing": releasing}


def assigned_to(user) -> dict:
    """A caseworker's own people: terms ending within 30 days, and juveniles."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=30)
    mine = (
        supervisees_visible_to(user)
        .filter(caseworker=user, status=Supervisee.Status.IN_CORRECTION)
        .select_related("unit")
    )
    return {
        "my_releasing": list(mine.filter(term_end__range=(today, soon))
                             .order_by("term_end", "pk")[:20]),
        "my_juveniles": list(mine.filter(is_juvenile=True).order_by("term_end", "pk")[:20]),
    }


def current_consents(supervisee) -> dict[str, bool]:
    """The decision in force per consent kind (latest wins); absent means not given."""
    state = {kind: False for kind in Consent.Kind.values}
    seen = set()
    for consent in supervisee.consents.order_by("-recorded_at", "-pk"):
        if consent.kind not in seen:
            state[consent.kind] = consent.granted
            seen.add(consent.kind)
    return state


def consent_rows(supervisee) -> list[tuple[str, str, bool]]:
    """(kind, label, granted) for every kind of consent, in a fixed order."""
    state = current_consents(supervisee)
    return [(kind, label, state[kind]) for kind, label in Consent.Kind.choices]


def consent_history(supervisee, limit: int = 20) -> list:
    return list(supervisee.consents.select_related("recorded_by")
                .order_by("-recorded_at", "-pk")[:limit])


def restrictions_for(supervisee) -> dict:
    """The record's prohibition orders, occupational bans and travel approvals."""
    return {
        "prohibitions": list(supervisee.prohibitions.select_related("venue_type", "district")
                             .order_by("-starts_on", "pk")),
        "bans": list(supervisee.occupational_bans.select_related("industry")
                     .order_by("-starts_on", "pk")),
        "travel": list(supervisee.travel_approvals.select_related("destination", "approved_by")
                       .order_by("-starts_on", "pk")),
    }


def _targets() -> dict[str, LevelTarget]:
    """Every management level's monthly targets (a handful of rows), by level."""
    return {t.level: t for t in LevelTarget.objects.all()}


def monthly_targets() -> dict[str, LevelTarget]:
    return _targets()


def target_for(supervisee) -> LevelTarget | None:
    return _targets().get(supervisee.level)


def level_target(level: str | None) -> LevelTarget | None:
    """The targets of a management level (None for an unknown level)."""
    return _targets().get(level)


# --- Where a person may be (Art. 27: leaving the city or county needs approval) -------------
#
# docs/domain.md rule 6. One rule, shared by job and training matching (employment) and by the activities a person
# is offered (volunteering):
#
# - after the correction ends, there is no area limit;
# - a place in the county of the person's home district (else of their unit's district) is
#   always allowed;
# - a place elsewhere is allowed only when ONE travel approval names that district as its
#   destination AND runs over the whole time the person would be there: an activity's day(s),
#   a training course's dates, or — for a job, which has no end — the rest of the correction
#   term (an approval without an end date covers any later day). A short approval to visit
#   family in a district does not make a permanent job there a match. Approvals are not
#   chained: two back-to-back approvals are two trips, and the caseworker grants one that
#   covers the stay.

def area_county(supervisee) -> str:
    """The county the person may move in without approval ('' when nothing is recorded)."""
    if supervisee.home_district_id:
        return supervisee.home_district.county
    district = getattr(supervisee.unit, "district", None)
    return district.county if district else ""


def covering_period(periods, start: datetime.date, end: datetime.date | None):
    """The first of `periods` ((starts_on, ends_on or None) pairs) that covers every day from
    `start` to `end`, or None; `end` None means "with no end" and needs an open-ended
    approval."""
    for period in periods:
        starts_on, ends_on = period
        if starts_on > start:
            continue
        if ends_on is None or (end is not None and ends_on >= end):
            return period
    return None


def period_covered(periods, start: datetime.date, end: datetime.date | None) -> bool:
    return covering_period(periods, start, end) is not None


def _as_dates(when) -> tuple[datetime.date, datetime.date | None]:
    def day(value):
        if isinstance(value, datetime.datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        return value

    if isinstance(when, tuple | list):
        start, end = when
        return day(start), day(end) if end is not None else None
    return day(when), day(when)


def may_be_in(supervisee, district, when) -> bool:
    """May the person be in `district` (a District) at `when`: a date or datetime, or a
    (start, end) pair where end None means open-ended (see the rule above)."""
    if supervisee.status != Supervisee.Status.IN_CORRECTION:
        return True
    county = area_county(supervisee)
    if county and district.county == county:
        return True
    start, end = _as_dates(when)
    periods = [(a.starts_on, a.ends_on) for a in supervisee.travel_approvals.all()
               if a.destination_id == district.pk]
    return period_covered(periods, start, end)


def area_terms(supervisee) -> tuple[str, tuple] | None:
    """What area_q needs to know of a person, as plain values: None when there is no area
    limit, else (county, trips), a trip being (destination district id, its first moment,
    the moment after its last day or None when it has no end). county is '' when no area
    is known."""
    if supervisee.status != Supervisee.Status.IN_CORRECTION:
        return None
    tz = timezone.get_current_timezone()
    trips = []
    for approval in supervisee.travel_approvals.all():
        first = datetime.datetime.combine(approval.starts_on, datetime.time.min, tz)
        after = None
        if approval.ends_on is not None:
            after = datetime.datetime.combine(approval.ends_on + datetime.timedelta(days=1),
                                              datetime.time.min, tz)
        trips.append((approval.destination_id, first, after))
    return area_county(supervisee), tuple(trips)


def area_q_of(terms, *, district: str = "district", starts: str = "starts_at",
              ends: str = "ends_at") -> Q:
    """area_q from the values area_terms() gives, for callers that hold them already."""
    if terms is None:
        return Q()
    county, trips = terms
    q = Q(**{f"{district}__county": county}) if county else Q(pk__in=[])
    for destination_id, first, after in trips:
        trip = Q(**{f"{district}_id": destination_id, f"{starts}__gte": first})
        if after is not None:
            trip &= Q(**{f"{ends}__lte": after})
        q |= trip
    return q


def area_q(supervisee, *, district: str = "district", starts: str = "starts_at",
           ends: str = "ends_at") -> Q:
    """may_be_in as a filter over rows with a district and start/end datetimes (activities):
    Q() when there is no limit, nothing at all when no area is known and nothing approved."""
    return area_q_of(area_terms(supervisee), district=district, starts=starts, ends=ends)

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


def monthly_targets() -> dict[str, LevelTarget]:
    return {t.level: t for t in LevelTarget.objects.all()}


def target_for(supervisee) -> LevelTarget | None:
    return LevelTarget.objects.filter(level=supervisee.level).first()

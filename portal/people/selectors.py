import datetime

from django.db.models import Count, Q
from django.utils import timezone

from portal.access import supervisees_visible_to
from portal.people.models import Consent, LevelTarget, Supervisee


def caseload_for(user, *, filters: dict | None = None):
    """Supervisees this staff member may see, ready to list."""
    qs = supervisees_visible_to(user).select_related("unit", "caseworker", "home_district")
    filters = filters or {}
    if filters.get("mine"):
        qs = qs.filter(caseworker=user)
    return qs


def caseload_summary(user) -> dict:
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
        .select_related("unit").order_by("term_end")[:10]
    )
    return {"figures": figures, "releasing": releasing}


def current_consents(supervisee) -> dict[str, bool]:
    """The decision in force per consent kind (latest wins); absent means not given."""
    state = {kind: False for kind in Consent.Kind.values}
    seen = set()
    for consent in supervisee.consents.order_by("-recorded_at", "-pk"):
        if consent.kind not in seen:
            state[consent.kind] = consent.granted
            seen.add(consent.kind)
    return state


def monthly_targets() -> dict[str, LevelTarget]:
    return {t.level: t for t in LevelTarget.objects.all()}


def target_for(supervisee) -> LevelTarget | None:
    return LevelTarget.objects.filter(level=supervisee.level).first()

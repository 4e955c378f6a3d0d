"""Reads for the help network; each takes the acting user and asks portal.access."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portal import access
from portal.organisations.models import Organisation

from .models import (
    LIVE_APPOINTMENT_STATUSES,
    Appointment,
    CounsellingSlot,
    FundApplication,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Service,
    overdue_after_days,
)

# Who may see what of the help network, built on portal.access's roles and scopes.

def referrals_visible_to(user) -> QuerySet:
    actor = access.actor_for(user)
    if actor.has(access.Role.SUPERUSER):
        return Referral.objects.all()
    q = Q(pk__in=[])
    if actor.has(access.Role.CASEWORKER, access.Role.UNIT_ADMIN):
        q |= Q(supervisee__in=access.supervisees_visible_to(user).values("pk"))
    provider_ids = access.helpnet_provider_ids(user)
    if provider_ids:
        q |= Q(shared_with__in=provider_ids)
    if actor.supervisee_id:
        q |= Q(supervisee_id=actor.supervisee_id)
    return Referral.objects.filter(q)


def services_managed_by(user) -> QuerySet:
    if access.actor_for(user).has(access.Role.SUPERUSER):
        return Service.objects.all()
    return Service.objects.filter(organisation_id__in=access.helpnet_provider_ids(user))


def slots_managed_by(user) -> QuerySet:
    return CounsellingSlot.objects.filter(
        organisation_id__in=access.helpnet_provider_ids(user, counselling_only=True))


def appointments_visible_to(user) -> QuerySet:
    """Staff: the appointments of the people they see (attendance and the shared summary,
    never the notes). The provider: appointments in its own slots. The person: their own."""
    actor = access.actor_for(user)
    if actor.has(access.Role.SUPERUSER):
        return Appointment.objects.all()
    q = Q(pk__in=[])
    if actor.has(access.Role.CASEWORKER, access.Role.UNIT_ADMIN):
        q |= Q(supervisee__in=access.supervisees_visible_to(user).values("pk"))
    provider_ids = access.helpnet_provider_ids(user, counselling_only=True)
    if provider_ids:
        q |= Q(slot__organisation_id__in=provider_ids)
    if actor.supervisee_id:
        q |= Q(supervisee_id=actor.supervisee_id)
    return Appointment.objects.filter(q)


def fund_applications_visible_to(user) -> QuerySet:
    actor = access.actor_for(user)
    if actor.has(access.Role.SUPERUSER):
        return FundApplication.objects.all()
    q = Q(pk__in=[])
    if actor.has(access.Role.CASEWORKER, access.Role.UNIT_ADMIN):
        q |= Q(supervisee__in=access.supervisees_visible_to(user).values("pk"))
    if actor.supervisee_id:
        q |= Q(supervisee_id=actor.supervisee_id)
    return FundApplication.objects.filter(q)


def is_unit_staff(user) -> bool:
    return access.can_use_caseload(user)


def _get_or_404(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def referrals_for(user) -> QuerySet:
    return (referrals_visible_to(user)
            .select_related("service__organisation", "supervisee", "created_by"))


def referral_for(user, pk) -> Referral:
    return _get_or_404(referrals_for(user).prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.select_related("by"))), pk)


# The steps whose notes the provider wrote itself (its answer, sessions, the outcome):
# the only notes a provider reads. Staff notes (the reason, a withdrawal) stay with staff.
PROVIDER_NOTE_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED,
                          ReferralStatus.CLOSED)


@dataclass
class HistoryLine:
    at: datetime.datetime
    kind: str
    to_label: str
    by: object
    note: str


def referral_history(referral: Referral, *, viewer: str) -> list[HistoryLine]:
    """The referral's history as `viewer` ("staff", "provider" or "person") may read it:
    a provider sees neither the step before consent nor the notes of staff."""
    lines = []
    for event in referral.events.all():
        note = event.note
        if viewer == "provider":
            if event.to_status == ReferralStatus.AWAITING_CONSENT:
                continue
            if not (event.kind == ReferralEvent.Kind.SESSION
                    or event.to_status in PROVIDER_NOTE_STATUSES):
                note = ""
        lines.append(HistoryLine(at=event.at, kind=event.kind, to_label=event.to_label,
                                 by=event.by, note=note))
    return lines


def staff_referrals(user, *, overdue_only: bool = False, open_only: bool = False):
    qs = referrals_for(user).filter(supervisee__in=access.supervisees_visible_to(user)
                                    .values("pk"))
    if overdue_only:
        qs = qs.overdue()
    elif open_only:
        qs = qs.open()
    return qs.order_by("-created_at", "-pk")


def provider_referrals(user) -> QuerySet:
    return (referrals_for(user).filter(shared_with__in=access.helpnet_provider_ids(user))
            .order_by("-consent_at", "-pk"))


def active_services() -> QuerySet:
    return (Service.objects.filter(active=True, organisation__is_active=True,
                                   organisation__kind__in=(Organisation.Kind.NGO,
                                                           Organisation.Kind.COUNSELLING))
            .select_related("organisation")
            .annotate(n_open=Count("referrals", filter=~Q(referrals__status__in=[
                "closed", "declined", "withdrawn", "consent_declined"])))
            .order_by("organisation__name", "name"))


def services_for_directory(organisation_ids) -> dict[int, list[Service]]:
    """Active services by organisation, for the partner directory."""
    found: dict[int, list[Service]] = {}
    for service in Service.objects.filter(organisation_id__in=list(organisation_ids),
                                          active=True).order_by("name"):
        found.setdefault(service.organisation_id, []).append(service)
    return found


def appointments_for(user) -> QuerySet:
    return appointments_visible_to(user).select_related(
        "slot__organisation", "slot__counsellor", "supervisee", "referral")


def appointment_for(user, pk) -> Appointment:
    return _get_or_404(appointments_for(user), pk)


def provider_appointments(user) -> QuerySet:
    ids = access.helpnet_provider_ids(user, counselling_only=True)
    return appointments_for(user).filter(slot__organisation_id__in=ids).exclude(
        status="cancelled").order_by("slot__starts_at", "pk")


def slots_for_provider(user) -> QuerySet:
    live = Appointment.objects.filter(status__in=LIVE_APPOINTMENT_STATUSES).select_related(
        "supervisee")
    return (slots_managed_by(user).filter(starts_at__gte=timezone.now()
                                                 - datetime.timedelta(days=7))
            .select_related("organisation", "counsellor")
            .prefetch_related(Prefetch("appointments", queryset=live, to_attr="live"))
            .order_by("starts_at", "pk"))


def slot_for_provider(user, pk) -> CounsellingSlot:
    return _get_or_404(slots_managed_by(user), pk)


def my_referrals(supervisee) -> QuerySet:
    return (Referral.objects.filter(supervisee=supervisee)
            .select_related("service__organisation").order_by("-created_at", "-pk"))


def my_appointments(supervisee) -> QuerySet:
    return (Appointment.objects.filter(supervisee=supervisee)
            .select_related("slot__organisation").order_by("-slot__starts_at", "-pk"))


def fund_for(user) -> QuerySet:
    return fund_applications_visible_to(user).select_related(
        "supervisee__unit", "created_by", "decided_by")


def fund_application_for(user, pk) -> FundApplication:
    return _get_or_404(fund_for(user).prefetch_related("documents"), pk)


def overdue_days() -> int:
    return overdue_after_days()

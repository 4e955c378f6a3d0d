"""Help-network events for the casework timeline (portal.timeline): referral status
changes and logged sessions, counselling appointments (booked, attended, missed,
cancelled; never a session note), education-help fund applications. Three queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.timeline import Event

from .models import Appointment, FundApplication, ReferralEvent

LIMIT = 300


def events(supervisee, *, viewer):
    for e in (ReferralEvent.objects.filter(referral__supervisee=supervisee)
              .select_related("referral__service__organisation").order_by("-at", "-pk")[:LIMIT]):
        service = e.referral.service
        url = reverse("helpnet:referral", args=[e.referral_id])
        if e.kind == ReferralEvent.Kind.SESSION:
            yield Event(when=e.at, kind="referral",
                        title=_("Session held: %(service)s") % {"service": service.name},
                        detail=f"{service.organisation.name}" + (f" · {e.note}" if e.note else ""),
                        url=url)
        else:
            yield Event(when=e.at, kind="referral",
                        title=_("Referral to %(org)s: %(status)s") % {
                            "org": service.organisation.name, "status": e.to_label},
                        detail=e.note, url=url)
    for a in (Appointment.objects.filter(supervisee=supervisee)
              .select_related("slot__organisation").order_by("-booked_at")[:LIMIT]):
        url = reverse("helpnet:appointment", args=[a.pk])
        org = a.slot.organisation.name
        yield Event(when=a.booked_at, kind="appointment",
                    title=_("Counselling booked for %(when)s") % {
                        "when": f"{timezone.localtime(a.slot.starts_at):%Y-%m-%d %H:%M}"},
                    detail=org, url=url)
        if a.status in (Appointment.Status.ATTENDED, Appointment.Status.MISSED):
            yield Event(when=a.attendance_at or a.slot.starts_at, kind="appointment",
                        title=_("Counselling: %(status)s") % {"status": a.get_status_display()},
                        detail=" · ".join(x for x in (org, a.shared_summary) if x), url=url)
        elif a.status == Appointment.Status.CANCELLED and a.cancelled_at:
            yield Event(when=a.cancelled_at, kind="appointment",
                        title=_("Counselling appointment cancelled"), detail=org, url=url)
    for f in (FundApplication.objects.filter(supervisee=supervisee)
              .order_by("-created_at")[:LIMIT]):
        url = reverse("helpnet:fund", args=[f.pk])
        yield Event(when=f.created_at, kind="fund",
                    title=_("Education-help fund application: %(amount)s yuan") % {
                        "amount": f.amount}, detail=f.get_beneficiary_display(), url=url)
        if f.decided_at:
            yield Event(when=f.decided_at, kind="fund",
                        title=_("Fund application %(status)s") % {
                            "status": (_("approved") if f.amount_approved is not None
                                       else _("rejected"))},
                        detail=f.decision_note, url=url)
        if f.paid_at:
            yield Event(when=f.paid_at, kind="fund", title=_("Fund payment recorded"),
                        detail=str(f.amount_approved or ""), url=url)

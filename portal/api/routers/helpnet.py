"""The help network for phones: my referrals and appointments, the counselling slots I may
book, booking and cancelling. Reads go through helpnet.selectors, writes through
helpnet.services; a refusal answers {"detail", "code"} with the service's code.
Session notes are never part of any answer."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from helpnet import selectors, services
from helpnet.models import Appointment, CounsellingSlot, Referral
from portal.access import own_supervisee
from portal.api.common import participant
from portal.api.errors import ApiError, errors
from portal.api.pagination import PageParams, page_of, paginate
from portal.api.schemas import LocalDateTime, Out

router = Router(tags=["help"])


def _person(request):
    return participant(own_supervisee(request.user))


class ReferralOut(Out):
    id: int
    organisation: str
    service: str
    service_type: str = Field(..., description="counselling, family, addiction, legal_aid, "
                                               "social_work, education or livelihood")
    status: str = Field(..., description="awaiting_consent (waiting for my answer), "
                                         "consent_declined, pending, accepted, in_progress, "
                                         "closed, declined or withdrawn")
    status_label: str = Field(..., description="The status in plain words.")
    summary: str = Field(..., description="What the organisation reads about the help "
                                          "needed (a neutral line when none was written).")
    reason: str = Field(..., description="The same text as `summary` (kept for older "
                                         "clients); the caseworker's own reason is "
                                         "staff-only and never in the API.")
    created_at: LocalDateTime
    outcome: str = Field("", description="When closed: achieved, partly, not_achieved or "
                                         "dropped_out.")
    url: str


class SlotOut(Out):
    id: int
    organisation: str
    starts_at: LocalDateTime
    ends_at: LocalDateTime
    mode: str = Field(..., description="in_person, phone or online")
    place: str


class AppointmentOut(Out):
    id: int
    slot: SlotOut
    status: str = Field(..., description="booked, attended, missed or cancelled")
    status_label: str
    booked_at: LocalDateTime
    url: str




def _referral(request, r: Referral) -> dict:
    return {"id": r.pk, "organisation": r.service.organisation.name, "service": r.service.name,
            "service_type": r.service.type, "status": r.status,
            "status_label": str(r.get_status_display()),
            "summary": r.summary_for_provider, "reason": r.summary_for_provider,
            "created_at": r.created_at, "outcome": r.outcome,
            "url": request.build_absolute_uri(reverse("helpnet:me"))}


def _slot(s: CounsellingSlot) -> dict:
    return {"id": s.pk, "organisation": s.organisation.name, "starts_at": s.starts_at,
            "ends_at": s.ends_at, "mode": s.mode, "place": s.place}


def _appointment(request, a: Appointment) -> dict:
    return {"id": a.pk, "slot": _slot(a.slot), "status": a.status,
            "status_label": str(a.get_status_display()), "booked_at": a.booked_at,
            "url": request.build_absolute_uri(reverse("helpnet:appointment",
                                                      kwargs={"pk": a.pk}))}


@router.get("/me/referrals", url_name="me_referrals",
            response={200: page_of(ReferralOut), **errors(401, 403, 422)},
            summary="My referrals")
def my_referrals(request, paging: Query[PageParams]):
    """Help my caseworker arranged with partner organisations, newest first. Those with
    status `awaiting_consent` wait for my answer (in the portal, at /help/me/)."""
    person = _person(request)
    page = paginate(selectors.my_referrals(person), paging)
    page["items"] = [_referral(request, r) for r in page["items"]]
    return page


@router.get("/me/appointments", url_name="me_appointments",
            response={200: page_of(AppointmentOut), **errors(401, 403, 422)},
            summary="My counselling appointments")
def my_appointments(request, paging: Query[PageParams]):
    """My counselling appointments, latest first (never the counsellor's notes)."""
    person = _person(request)
    page = paginate(selectors.my_appointments(person), paging)
    page["items"] = [_appointment(request, a) for a in page["items"]]
    return page


@router.get("/slots", url_name="slots", response={200: page_of(SlotOut), **errors(401, 403, 422)},
            summary="Open counselling slots")
def open_slots(request, paging: Query[PageParams]):
    """Future counselling slots nobody has booked, soonest first."""
    _person(request)
    page = paginate(services.bookable_slots(), paging)
    page["items"] = [_slot(s) for s in page["items"]]
    return page


@router.post("/slots/{int:slot_id}/book", url_name="slot_book",
             response={201: AppointmentOut, **errors(401, 403, 404, 409)}, summary="Book a slot")
def slot_book(request, slot_id: int):
    """201 with the appointment. 409 `slot_taken` when someone else has it (also when two
    book at the same moment: exactly one succeeds), `slot_past` once it started; 404 for a
    slot that does not exist or was withdrawn. Nothing changes on a refusal."""
    person = _person(request)
    appointment = services.appointment_book(actor=request.user, slot_id=slot_id,
                                            supervisee=person)
    return Status(201, _appointment(request, appointment))


@router.delete("/appointments/{int:appointment_id}", url_name="appointment_cancel",
               response={200: AppointmentOut, **errors(401, 403, 404, 409)},
               summary="Cancel an appointment")
def appointment_cancel(request, appointment_id: int):
    """200 with the cancelled appointment; the slot is free again. 409 `not_cancellable`
    when it is not booked any more, `already_started`; 404 if it is not mine."""
    person = _person(request)
    appointment = selectors.my_appointments(person).filter(pk=appointment_id).first()
    if appointment is None:
        raise ApiError(404, "not_found", _("Not found."))
    appointment = services.appointment_cancel(actor=request.user,
                                              appointment_id=appointment.pk)
    return _appointment(request, appointment)

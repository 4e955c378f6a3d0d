"""Writes for the help network. Keyword-only, validated before saving, one transaction
each; a refusal raises ServiceError (stable code, translated message, HTTP status for the
API) and changes nothing.

Every status change of a referral is a ReferralEvent (who, when, from, to, note).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import access
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.errors import ServiceError
from portal.neutral import corrections_words_in
from portal.notifications.services import notify
from portal.organisations.models import Organisation
from portal.uploads import DOCUMENT_KINDS, UploadRejected, safe_filename, validate_upload

from . import selectors
from .models import (
    Appointment,
    AppointmentStatus,
    CounsellingSlot,
    FundApplication,
    FundDocument,
    FundStatus,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Service,
    SessionNote,
)

S = ReferralStatus
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENTS = 10
SUMMARY_MAX_LENGTH = Referral._meta.get_field("provider_summary").max_length



def _not_found() -> ServiceError:
    return ServiceError("not_found", _("Not found."), 404)


def _forbidden(message=None) -> ServiceError:
    return ServiceError("forbidden", message or _("You are not allowed to do this."), 403)


def _invalid(message: str, code: str = "invalid") -> ServiceError:
    return ServiceError(code, message, 422)


def _event(referral: Referral, *, by, to_status: str = "", from_status: str = "",
           note: str = "", kind: str = ReferralEvent.Kind.STATUS) -> None:
    ReferralEvent.objects.create(referral=referral, kind=kind, from_status=from_status,
                                 to_status=to_status, note=note[:500], by=by)


def _move(referral: Referral, *, to: str, by, note: str = "", **fields) -> Referral:
    before = referral.status
    referral.status = to
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save()
    _event(referral, by=by, from_status=before, to_status=to, note=note)
    return referral


def _referral_url(referral) -> str:
    return reverse("helpnet:referral", kwargs={"pk": referral.pk})


def _provider_staff(organisation_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        memberships__organisation_id=organisation_id, is_active=True).distinct()


def _tell_provider(referral: Referral, title: str) -> None:
    for user in _provider_staff(referral.service.organisation_id):
        notify(recipient=user, kind="referral", title=title, url=_referral_url(referral))


def _tell_caseworker(referral: Referral, title: str, body: str = "") -> None:
    recipient = referral.supervisee.caseworker or referral.created_by
    notify(recipient=recipient, kind="referral", title=title, body=body,
           url=_referral_url(referral))


def _tell_person(referral: Referral, title: str) -> None:
    notify(recipient=referral.supervisee.user, kind="referral", title=title,
           url=reverse("helpnet:me"))


def _locked_referral(referral_id) -> Referral:
    try:
        return (Referral.objects.select_for_update(of=("self",))
                .select_related("service__organisation", "supervisee__user",
                                "supervisee__caseworker").get(pk=referral_id))
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise _not_found() from None


# --- Services offered ------------------------------------------------------------------------

SERVICE_FIELDS = ("name", "type", "audience", "description", "area", "capacity", "contact",
                  "active")


@transaction.atomic
def service_save(*, actor, organisation_id: int, service: Service | None = None,
                 **fields) -> Service:
    """A provider's staff add or change their own organisation's services."""
    if organisation_id not in access.helpnet_provider_ids(actor):
        raise _forbidden()
    if service is not None and service.organisation_id != organisation_id:
        raise _not_found()
    service = service or Service(organisation_id=organisation_id)
    for name in SERVICE_FIELDS:
        if name in fields:
            setattr(service, name, fields[name])
    try:
        service.full_clean()
    except ValidationError as error:
        raise _invalid("; ".join(m for ms in error.message_dict.values() for m in ms)) from None
    service.save()
    return service


# --- Referrals ---------------------------------------------------------------------------------

def provider_summary_clean(summary: str) -> str:
    """The summary for the provider, stripped; refused when too long or when it uses a
    corrections word (docs/domain.md rule 3)."""
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise _invalid(_("Keep the summary for the provider to %(n)s characters.")
                       % {"n": SUMMARY_MAX_LENGTH}, "summary_too_long")
    found = corrections_words_in(summary)
    if found:
        raise _invalid(_("The provider reads the summary: leave out words about corrections "
                         "(%(words)s) and describe the help needed instead.")
                       % {"words": "、".join(found)}, "summary_not_neutral")
    return summary


@transaction.atomic
def referral_create(*, actor, supervisee, service_id, reason: str, summary: str = "",
                    consent_given: bool = False) -> Referral:
    """A caseworker refers the person to a service. `reason` stays with corrections staff;
    the provider reads only `summary` (or, when it is empty, a neutral line). With
    `consent_given` (the person agreed in front of the caseworker) it goes to the
    provider at once; otherwise the person is asked in the portal and the provider sees
    nothing until they agree."""
    if not access.can_refer(actor, supervisee):
        raise _not_found()
    reason = (reason or "").strip()
    if not reason:
        raise _invalid(_("Say why you refer the person."), "reason_required")
    summary = provider_summary_clean(summary)
    try:
        service = Service.objects.select_related("organisation").get(
            pk=service_id, active=True, organisation__is_active=True,
            organisation__kind__in=(Organisation.Kind.NGO, Organisation.Kind.COUNSELLING))
    except (Service.DoesNotExist, ValueError, TypeError):
        raise _invalid(_("Choose an active service."), "service_unavailable") from None
    if not service.serves(supervisee):
        raise _invalid(_("This service does not serve this person (see who it serves)."),
                       "audience_mismatch")
    if Referral.objects.open().filter(supervisee=supervisee, service=service).exists():
        raise ServiceError("already_referred",
                           _("The person already has an open referral to this service."))
    referral = Referral.objects.create(supervisee=supervisee, service=service, reason=reason,
                                       provider_summary=summary, created_by=actor,
                                       status=S.AWAITING_CONSENT)
    _event(referral, by=actor, to_status=S.AWAITING_CONSENT, note=reason)
    access_log_record(actor=actor, supervisee=supervisee, action=AccessLogEntry.Action.EDIT,
                      what=_("Referred the person to %(service)s") % {"service": service})
    if consent_given:
        _consent(referral, by=actor, granted=True,
                 note=_("Consent given to the caseworker in person."))
    else:
        _tell_person(referral, _("Your caseworker suggests help from %(org)s: please say "
                                 "whether you agree") % {"org": service.organisation.name})
    return referral


def _consent(referral: Referral, *, by, granted: bool, note: str = "") -> Referral:
    now = timezone.now()
    if granted:
        _move(referral, to=S.PENDING, by=by, note=note, consent_at=now, consent_by=by,
              shared_with_id=referral.service.organisation_id)
        _tell_provider(referral, _("A new referral: %(service)s") % {
            "service": referral.service.name})
    else:
        _move(referral, to=S.CONSENT_DECLINED, by=by, note=note, closed_at=now)
        _tell_caseworker(referral, _("The person did not agree to the referral to %(org)s")
                         % {"org": referral.service.organisation.name})
    return referral


@transaction.atomic
def referral_consent(*, actor, referral_id, granted: bool) -> Referral:
    """The person (or their caseworker on their behalf) agrees or declines. Only while the
    referral waits for it; a decision is final (a new referral asks again)."""
    referral = _locked_referral(referral_id)
    own = actor == referral.supervisee.user
    if not own and not access.can_refer(actor, referral.supervisee):
        raise _not_found()
    if referral.status != S.AWAITING_CONSENT:
        raise ServiceError("consent_already_decided",
                           _("Consent for this referral was already decided."))
    if not own:
        access_log_record(actor=actor, supervisee=referral.supervisee,
                          action=AccessLogEntry.Action.EDIT,
                          what=_("Recorded the person's answer to a referral"))
    return _consent(referral, by=actor, granted=granted)


@transaction.atomic
def referral_respond(*, actor, referral_id, accept: bool, note: str = "") -> Referral:
    referral = _locked_referral(referral_id)
    if not access.can_answer_referral(actor, referral):
        raise _not_found()
    if referral.status != S.PENDING:
        raise ServiceError("already_answered", _("This referral was already answered."))
    note = (note or "").strip()
    if not accept and not note:
        raise _invalid(_("Say why you decline, so the caseworker can look elsewhere."),
                       "reason_required")
    now = timezone.now()
    if accept:
        _move(referral, to=S.ACCEPTED, by=actor, note=note, responded_at=now,
              response_note=note[:500])
        _tell_caseworker(referral, _("%(org)s accepted a referral") % {
            "org": referral.service.organisation.name})
        _tell_person(referral, _("%(org)s accepted you and will be in touch") % {
            "org": referral.service.organisation.name})
    else:
        _move(referral, to=S.DECLINED, by=actor, note=note, responded_at=now, closed_at=now,
              response_note=note[:500])
        _tell_caseworker(referral, _("%(org)s declined a referral") % {
            "org": referral.service.organisation.name}, body=note)
    return referral


@transaction.atomic
def referral_session_log(*, actor, referral_id, note: str = "") -> Referral:
    """The provider records that a session took place (what the caseworker may read:
    no confidential content). The first one moves the referral to in progress."""
    referral = _locked_referral(referral_id)
    if not access.can_answer_referral(actor, referral):
        raise _not_found()
    if referral.status not in (S.ACCEPTED, S.IN_PROGRESS):
        raise ServiceError("not_in_progress",
                           _("Sessions are logged once the referral is accepted."))
    referral.sessions_held += 1
    if referral.status == S.ACCEPTED:
        _move(referral, to=S.IN_PROGRESS, by=actor)
    else:
        referral.save(update_fields=["sessions_held", "updated_at"])
    _event(referral, by=actor, kind=ReferralEvent.Kind.SESSION, note=(note or "").strip())
    return referral


@transaction.atomic
def referral_close(*, actor, referral_id, outcome: str, report: str) -> Referral:
    referral = _locked_referral(referral_id)
    if not access.can_answer_referral(actor, referral):
        raise _not_found()
    if referral.status not in (S.ACCEPTED, S.IN_PROGRESS):
        raise ServiceError("not_closable", _("Only an accepted referral can be closed."))
    if outcome not in Referral.Outcome.values:
        raise _invalid(_("Choose an outcome."), "outcome_required")
    report = (report or "").strip()
    if not report:
        raise _invalid(_("Write the outcome report for the caseworker."), "report_required")
    _move(referral, to=S.CLOSED, by=actor, note=Referral.Outcome(outcome).label,
          closed_at=timezone.now(), outcome=outcome, outcome_report=report)
    _tell_caseworker(referral, _("%(org)s closed a referral with an outcome report") % {
        "org": referral.service.organisation.name})
    return referral


@transaction.atomic
def referral_withdraw(*, actor, referral_id, note: str = "") -> Referral:
    referral = _locked_referral(referral_id)
    if not access.can_refer(actor, referral.supervisee):
        raise _not_found()
    if not referral.is_open:
        raise ServiceError("not_open", _("This referral is already finished."))
    was_shared = referral.consented
    _move(referral, to=S.WITHDRAWN, by=actor, note=(note or "").strip(),
          closed_at=timezone.now())
    if was_shared:
        _tell_provider(referral, _("A referral was withdrawn by the caseworker"))
    return referral


# --- Counselling slots and appointments --------------------------------------------------------

@transaction.atomic
def slot_create(*, actor, organisation_id: int, starts_at: datetime.datetime,
                ends_at: datetime.datetime, mode: str = CounsellingSlot.Mode.IN_PERSON,
                place: str = "", counsellor=None) -> CounsellingSlot:
    if organisation_id not in access.helpnet_provider_ids(actor, counselling_only=True):
        raise _forbidden(_("Only counselling providers publish slots."))
    if ends_at <= starts_at:
        raise _invalid(_("A slot must end after it starts."), "bad_times")
    if starts_at <= timezone.now():
        raise _invalid(_("A slot must be in the future."), "in_the_past")
    if mode not in CounsellingSlot.Mode.values:
        raise _invalid(_("Choose how the session is held."), "bad_mode")
    return CounsellingSlot.objects.create(
        organisation_id=organisation_id, starts_at=starts_at, ends_at=ends_at, mode=mode,
        place=place, counsellor=counsellor or actor)


@transaction.atomic
def slot_withdraw(*, actor, slot_id) -> CounsellingSlot:
    slot = _locked_slot(slot_id)
    if slot.organisation_id not in access.helpnet_provider_ids(actor, counselling_only=True):
        raise _not_found()
    if slot.appointments.filter(status=AppointmentStatus.BOOKED).exists():
        raise ServiceError("slot_booked", _("Someone booked this slot; cancel the appointment "
                                            "first so they are told."))
    slot.is_cancelled = True
    slot.save(update_fields=["is_cancelled"])
    return slot


def _locked_slot(slot_id) -> CounsellingSlot:
    try:
        return (CounsellingSlot.objects.select_for_update(of=("self",))
                .select_related("organisation").get(pk=slot_id))
    except (CounsellingSlot.DoesNotExist, ValueError, TypeError):
        raise _not_found() from None


def bookable_slots():
    """Future, published slots of active counselling providers that nobody booked."""
    from django.db.models import Exists, OuterRef

    live = Appointment.objects.filter(slot=OuterRef("pk"), status__in=[
        AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.MISSED])
    return (CounsellingSlot.objects
            .filter(starts_at__gt=timezone.now(), is_cancelled=False,
                    organisation__is_active=True,
                    organisation__kind=Organisation.Kind.COUNSELLING)
            .exclude(Exists(live)).select_related("organisation").order_by("starts_at", "pk"))


def appointment_book(*, actor, slot_id, supervisee, referral_id=None) -> Appointment:
    """Book a slot for the person: by the person themself, or by a caseworker who may see
    them. One live appointment per slot: the slot row is locked while booking, and a unique
    constraint refuses a second one even if the lock were bypassed."""
    try:
        with transaction.atomic():
            return _book(actor=actor, slot_id=slot_id, supervisee=supervisee,
                         referral_id=referral_id)
    except IntegrityError:
        raise _taken() from None


def _taken() -> ServiceError:
    return ServiceError("slot_taken", _("Sorry, this slot was just booked by someone else. "
                                        "Please choose another time."))


def _book(*, actor, slot_id, supervisee, referral_id) -> Appointment:
    own = supervisee.user_id == actor.pk
    if not own and not access.can_refer(actor, supervisee):
        raise _not_found()
    slot = _locked_slot(slot_id)
    if (slot.is_cancelled or not slot.organisation.is_active
            or slot.organisation.kind != Organisation.Kind.COUNSELLING):
        raise _not_found()
    if slot.starts_at <= timezone.now():
        raise ServiceError("slot_past", _("This slot has already started."))
    if slot.appointments.filter(status__in=[AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED,
                                            AppointmentStatus.MISSED]).exists():
        raise _taken()
    referral = None
    if referral_id:
        referral = Referral.objects.filter(pk=referral_id, supervisee=supervisee).first()
        if referral is None or referral.shared_with_id != slot.organisation_id or (
                referral.status not in (S.ACCEPTED, S.IN_PROGRESS, S.PENDING)):
            raise _invalid(_("That referral is not one to this provider that the person "
                             "agreed to."), "bad_referral")
    elif not own:
        # A caseworker may share a person with a provider only under a consented referral.
        referral = (Referral.objects.filter(
            supervisee=supervisee, shared_with_id=slot.organisation_id,
            status__in=(S.PENDING, S.ACCEPTED, S.IN_PROGRESS)).order_by("-created_at").first())
        if referral is None:
            raise ServiceError(
                "consent_needed",
                _("Refer the person to this provider first; you can book for them once they "
                  "have agreed."), 403)
    appointment = Appointment.objects.create(slot=slot, supervisee=supervisee, referral=referral,
                                             booked_by=actor)
    when = timezone.localtime(slot.starts_at)
    for user in _provider_staff(slot.organisation_id):
        notify(recipient=user, kind="appointment",
               title=_("New appointment on %(when)s") % {"when": f"{when:%Y-%m-%d %H:%M}"},
               url=reverse("helpnet:appointment", kwargs={"pk": appointment.pk}))
    if not own:
        notify(recipient=supervisee.user, kind="appointment",
               title=_("Your caseworker booked a counselling appointment for %(when)s") % {
                   "when": f"{when:%Y-%m-%d %H:%M}"}, url=reverse("helpnet:me"))
    return appointment


def _locked_appointment(appointment_id) -> Appointment:
    try:
        return (Appointment.objects.select_for_update(of=("self",))
                .select_related("slot__organisation", "supervisee__user", "referral")
                .get(pk=appointment_id))
    except (Appointment.DoesNotExist, ValueError, TypeError):
        raise _not_found() from None


@transaction.atomic
def appointment_cancel(*, actor, appointment_id) -> Appointment:
    """The person, their caseworker or the provider cancel a booked, future appointment;
    the slot is free again."""
    appointment = _locked_appointment(appointment_id)
    if not selectors.appointments_visible_to(actor).filter(pk=appointment.pk).exists():
        raise _not_found()
    if appointment.status != AppointmentStatus.BOOKED:
        raise ServiceError("not_cancellable", _("Only a booked appointment can be cancelled."))
    if appointment.slot.starts_at <= timezone.now():
        raise ServiceError("already_started", _("This appointment has already started."))
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["status", "cancelled_at"])
    when = f"{timezone.localtime(appointment.slot.starts_at):%Y-%m-%d %H:%M}"
    if actor != appointment.supervisee.user:
        notify(recipient=appointment.supervisee.user, kind="appointment",
               title=_("Your counselling appointment on %(when)s was cancelled") % {
                   "when": when}, url=reverse("helpnet:me"))
    if appointment.slot.organisation_id not in access.helpnet_provider_ids(actor):
        for user in _provider_staff(appointment.slot.organisation_id):
            notify(recipient=user, kind="appointment",
                   title=_("An appointment on %(when)s was cancelled") % {"when": when})
    return appointment


@transaction.atomic
def attendance_record(*, actor, appointment_id, attended: bool,
                      shared_summary: str = "") -> Appointment:
    appointment = _locked_appointment(appointment_id)
    if not access.can_read_session_notes(actor, appointment):
        raise _not_found()
    if appointment.status == AppointmentStatus.CANCELLED:
        raise ServiceError("cancelled", _("This appointment was cancelled."))
    if appointment.slot.starts_at > timezone.now():
        raise ServiceError("not_yet", _("Attendance is recorded once the session has begun."))
    first = appointment.status == AppointmentStatus.BOOKED
    appointment.status = AppointmentStatus.ATTENDED if attended else AppointmentStatus.MISSED
    appointment.attendance_by, appointment.attendance_at = actor, timezone.now()
    appointment.shared_summary = (shared_summary or "").strip()[:500]
    appointment.save()
    referral = appointment.referral
    if attended and first and referral and referral.status in (S.ACCEPTED, S.IN_PROGRESS):
        referral_session_log(actor=actor, referral_id=referral.pk,
                             note=appointment.shared_summary)
    return appointment


@transaction.atomic
def session_note_add(*, actor, appointment_id, text: str) -> SessionNote:
    appointment = _locked_appointment(appointment_id)
    if not access.can_read_session_notes(actor, appointment):
        raise _not_found()
    text = (text or "").strip()
    if not text:
        raise _invalid(_("The note is empty."), "empty")
    if appointment.status == AppointmentStatus.CANCELLED:
        raise ServiceError("cancelled", _("This appointment was cancelled."))
    return SessionNote.objects.create(appointment=appointment, author=actor, text=text)


def appointment_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind people of tomorrow's appointments (local calendar day), once each."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    due = (Appointment.objects.filter(status=AppointmentStatus.BOOKED, reminder_sent_at__isnull=True,
                                      slot__starts_at__gte=start, slot__starts_at__lt=end)
           .select_related("slot__organisation", "supervisee__user"))
    sent = 0
    for appointment in due:
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=appointment.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if not claimed:
                continue
            slot = appointment.slot
            where = slot.place or slot.get_mode_display()
            notify(recipient=appointment.supervisee.user, kind="appointment_reminder",
                   title=_("Reminder: counselling tomorrow at %(time)s") % {
                       "time": f"{timezone.localtime(slot.starts_at):%H:%M}"},
                   body=f"{slot.organisation.name} · {where}", url=reverse("helpnet:me"))
            sent += 1
    return sent


# --- Education-help fund -----------------------------------------------------------------------

def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise _invalid(_("Enter an amount in yuan."), "bad_amount") from None
    if amount <= 0 or amount >= Decimal("10000000"):
        raise _invalid(_("Enter an amount in yuan."), "bad_amount")
    return amount


@transaction.atomic
def fund_apply(*, actor, supervisee, need: str, amount, beneficiary: str = "self",
               beneficiary_name: str = "", is_schooling: bool = False, school: str = "",
               grade: str = "") -> FundApplication:
    """A caseworker submits an application for the person or their family."""
    if not access.can_refer(actor, supervisee):
        raise _not_found()
    need = (need or "").strip()
    if not need:
        raise _invalid(_("Describe the need."), "need_required")
    if beneficiary not in FundApplication.Beneficiary.values:
        raise _invalid(_("Say for whom the help is."), "bad_beneficiary")
    if beneficiary != FundApplication.Beneficiary.SELF and not beneficiary_name.strip():
        raise _invalid(_("Name the family member the help is for."), "beneficiary_name")
    if is_schooling and not school.strip():
        raise _invalid(_("Name the school for a schooling application."), "school_required")
    application = FundApplication.objects.create(
        supervisee=supervisee, need=need, amount=_amount(amount), beneficiary=beneficiary,
        beneficiary_name=beneficiary_name.strip(), is_schooling=is_schooling,
        school=school.strip(), grade=grade.strip(), created_by=actor)
    access_log_record(actor=actor, supervisee=supervisee, action=AccessLogEntry.Action.EDIT,
                      what=_("Submitted an education-help fund application"))
    return application


def _locked_fund(application_id) -> FundApplication:
    try:
        return (FundApplication.objects.select_for_update(of=("self",))
                .select_related("supervisee__unit", "supervisee__user").get(pk=application_id))
    except (FundApplication.DoesNotExist, ValueError, TypeError):
        raise _not_found() from None


def _fund_visible(actor, application) -> None:
    if not selectors.fund_applications_visible_to(actor).filter(pk=application.pk).exists():
        raise _not_found()


@transaction.atomic
def fund_decide(*, actor, application_id, approve: bool, note: str = "",
                amount_approved=None) -> FundApplication:
    application = _locked_fund(application_id)
    _fund_visible(actor, application)
    if not access.can_decide_fund(actor, application):
        raise _forbidden(_("Only an administrator of the person's unit decides."))
    if application.status != FundStatus.SUBMITTED:
        raise ServiceError("already_decided", _("This application was already decided."))
    note = (note or "").strip()
    if not approve and not note:
        raise _invalid(_("Give the reason for rejecting."), "reason_required")
    application.decided_by, application.decided_at = actor, timezone.now()
    application.decision_note = note[:500]
    if approve:
        amount = application.amount if amount_approved in (None, "") else _amount(
            amount_approved)
        if amount > application.amount:
            raise _invalid(_("The approved amount cannot exceed the amount requested."),
                           "bad_amount")
        application.status, application.amount_approved = FundStatus.APPROVED, amount
    else:
        application.status = FundStatus.REJECTED
    application.save()
    notify(recipient=application.created_by, kind="fund",
           title=_("Education-help fund application #%(n)s: %(status)s") % {
               "n": application.pk, "status": application.get_status_display()},
           url=reverse("helpnet:fund", kwargs={"pk": application.pk}))
    return application


@transaction.atomic
def fund_pay(*, actor, application_id, reference: str = "") -> FundApplication:
    application = _locked_fund(application_id)
    _fund_visible(actor, application)
    if not access.can_decide_fund(actor, application):
        raise _forbidden(_("Only an administrator of the person's unit records payments."))
    if application.status != FundStatus.APPROVED:
        raise ServiceError("not_approved", _("Only an approved application can be paid."))
    application.status = FundStatus.PAID
    application.paid_at, application.paid_by = timezone.now(), actor
    application.payment_reference = (reference or "").strip()[:100]
    application.save()
    return application


@transaction.atomic
def fund_follow_up(*, actor, application_id, note: str) -> FundApplication:
    application = _locked_fund(application_id)
    _fund_visible(actor, application)
    if not access.can_refer(actor, application.supervisee):
        raise _forbidden()
    if application.status != FundStatus.PAID:
        raise ServiceError("not_paid", _("Follow up once the payment is recorded."))
    note = (note or "").strip()
    if not note:
        raise _invalid(_("The note is empty."), "empty")
    application.follow_up_note, application.follow_up_at = note, timezone.now()
    application.save(update_fields=["follow_up_note", "follow_up_at"])
    return application


@transaction.atomic
def fund_document_add(*, actor, application_id, upload) -> FundDocument:
    """Attach a supporting document: checked by its content (PDF, JPEG, PNG), at most
    5 MB, stored outside the public media folder."""
    application = _locked_fund(application_id)
    _fund_visible(actor, application)
    if not access.can_refer(actor, application.supervisee):
        raise _forbidden()
    if application.status in (FundStatus.REJECTED, FundStatus.PAID):
        raise ServiceError("closed", _("This application is closed to new documents."))
    if application.documents.count() >= MAX_DOCUMENTS:
        raise ServiceError("too_many", _("An application takes at most %(n)s documents.")
                           % {"n": MAX_DOCUMENTS})
    try:
        kind = validate_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=MAX_DOCUMENT_BYTES)
    except UploadRejected as error:
        raise ServiceError(error.code, error.message, 422) from None
    name = safe_filename(upload.name, kind)
    document = FundDocument(application=application, original_name=name,
                            content_type=kind.mime, size=upload.size, uploaded_by=actor)
    document.file.save(name, upload, save=False)
    document.save()
    return document

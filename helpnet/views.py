"""Pages of the help network. Views ask selectors (which ask portal.access) what the user
may see, call services for every change, and turn a refusal into a message; nothing is
changed on a refusal."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.uploads import attachment_response

from . import selectors, services
from .forms import (
    AttendanceForm,
    CloseForm,
    DecideForm,
    FundForm,
    NoteForm,
    ReferralForm,
    RespondForm,
    ServiceForm,
    SlotForm,
    UploadForm,
)
from .models import FundDocument, Service
from .services import ServiceError

PAGE_SIZE = 25


def _refused(request, error: ServiceError):
    if error.status == 404:
        raise Http404
    messages.error(request, error.message)


def _person_or_403(user):
    person = access.own_supervisee(user)
    if person is None:
        raise PermissionDenied
    return person


def _require_staff(user):
    if not selectors.is_unit_staff(user):
        raise PermissionDenied


def _require_provider(user, *, counselling: bool = False):
    if not access.helpnet_provider_ids(user, counselling_only=counselling):
        raise PermissionDenied


def _viewer(user, *, organisation_id=None, supervisee=None) -> str:
    """How the page speaks to this user: "person", "provider" or "staff"."""
    if supervisee is not None and access.actor_for(user).supervisee_id == supervisee.pk:
        return "person"
    if organisation_id is not None and organisation_id in access.helpnet_provider_ids(user):
        return "provider"
    return "staff"


@login_required
def home(request):
    user = request.user
    if selectors.is_unit_staff(user):
        return redirect("helpnet:referrals")
    if access.is_helpnet_provider(user):
        return redirect("helpnet:provider")
    if access.own_supervisee(user) is not None:
        return redirect("helpnet:me")
    raise PermissionDenied


# --- The person -------------------------------------------------------------------------------

@login_required
def me(request):
    person = _person_or_403(request.user)
    appointments = list(selectors.my_appointments(person))
    now = timezone.now()
    return render(request, "helpnet/me.html", {
        "person": person,
        "referrals": selectors.my_referrals(person),
        "upcoming": [a for a in appointments if a.slot.starts_at >= now
                     and a.status == "booked"],
        "past": [a for a in appointments if not (a.slot.starts_at >= now
                                                 and a.status == "booked")],
        "slots": services.bookable_slots()[:30],
    })


@login_required
@require_POST
def referral_consent(request, pk):
    referral = selectors.referral_for(request.user, pk)
    granted = request.POST.get("decision") == "agree"
    try:
        services.referral_consent(actor=request.user, referral_id=referral.pk, granted=granted)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Thank you: the provider will contact you.") if granted
                         else _("Noted: the provider is not told anything about you."))
    if access.actor_for(request.user).supervisee_id == referral.supervisee_id:
        return redirect("helpnet:me")
    return redirect("helpnet:referral", pk=referral.pk)


@login_required
@require_POST
def slot_book(request, pk):
    """The person books for themself; a caseworker books for a person (POST supervisee)."""
    user = request.user
    person = access.own_supervisee(user)
    back = "helpnet:me"
    if request.POST.get("supervisee") and selectors.is_unit_staff(user):
        person = access.supervisee_for_staff(user, request.POST["supervisee"],
                                             what=_("Booked a counselling appointment"),
                                             path=request.path, action="edit")
        back = None
    if person is None:
        raise PermissionDenied
    try:
        appointment = services.appointment_book(actor=user, slot_id=pk, supervisee=person,
                                                referral_id=request.POST.get("referral") or None)
    except ServiceError as error:
        _refused(request, error)
        if back is None:
            ref = request.POST.get("referral", "")
            return (redirect("helpnet:referral", pk=ref) if ref.isdigit()
                    else redirect("helpnet:referrals"))
        return redirect(back)
    messages.success(request, _("Booked: %(when)s.") % {
        "when": f"{timezone.localtime(appointment.slot.starts_at):%Y-%m-%d %H:%M}"})
    return redirect("helpnet:appointment", pk=appointment.pk)


# --- Referrals --------------------------------------------------------------------------------

@login_required
def referrals(request):
    _require_staff(request.user)
    overdue_only = request.GET.get("show") == "overdue"
    rows = selectors.staff_referrals(request.user, overdue_only=overdue_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    days = selectors.overdue_days()
    now = timezone.now()
    for r in page:
        r.overdue = r.is_overdue(now=now, days=days)
    access_log_record(actor=request.user, supervisee=None, action=AccessLogEntry.Action.LIST,
                      what=_("Referral list"), path=request.path)
    return render(request, "helpnet/referrals.html", {
        "page": page, "overdue_only": overdue_only, "days": days,
        "n_overdue": selectors.staff_referrals(request.user, overdue_only=True).count(),
    })


@login_required
def refer(request, pk):
    _require_staff(request.user)
    person = access.supervisee_for_staff(request.user, pk, what=_("Referral form"),
                                         path=request.path)
    services_qs = Service.objects.filter(pk__in=selectors.active_services().values("pk"))
    form = ReferralForm(request.POST or None, services=services_qs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                actor=request.user, supervisee=person, service_id=data["service"].pk,
                reason=data["reason"], summary=data["summary"],
                consent_given=data["consent_given"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Referral made."))
            return redirect("helpnet:referral", pk=referral.pk)
    return render(request, "helpnet/refer.html", {
        "form": form, "person": person, "services": selectors.active_services()})


@login_required
def referral(request, pk):
    ref = selectors.referral_for(request.user, pk)
    viewer = _viewer(request.user, organisation_id=ref.shared_with_id,
                     supervisee=ref.supervisee)
    context = {"referral": ref, "viewer": viewer,
               "events": selectors.referral_history(ref, viewer=viewer)}
    if viewer == "staff":
        access_log_record(actor=request.user, supervisee=ref.supervisee,
                          action=AccessLogEntry.Action.VIEW, what=_("Referral"),
                          path=request.path)
        context["overdue"] = ref.is_overdue()
        context["can_refer"] = access.can_refer(request.user, ref.supervisee)
        if ref.shared_with_id and ref.is_open:
            context["slots"] = services.bookable_slots().filter(
                organisation_id=ref.shared_with_id)[:10]
    if viewer == "provider":
        context["name"] = access.display_name_for_partner(ref.supervisee)
        context["respond_form"] = RespondForm()
        context["close_form"] = CloseForm()
    context["appointments"] = (selectors.appointments_for(request.user)
                               .filter(referral=ref).order_by("slot__starts_at"))
    return render(request, "helpnet/referral.html", context)


def _referral_action(request, pk, action, success: str, **kwargs):
    ref = selectors.referral_for(request.user, pk)
    try:
        action(actor=request.user, referral_id=ref.pk, **kwargs)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, success)
    return redirect("helpnet:referral", pk=ref.pk)


@login_required
@require_POST
def referral_respond(request, pk):
    accept = request.POST.get("decision") == "accept"
    return _referral_action(request, pk, services.referral_respond,
                            _("Referral accepted.") if accept else _("Referral declined."),
                            accept=accept, note=request.POST.get("note", ""))


@login_required
@require_POST
def referral_session(request, pk):
    return _referral_action(request, pk, services.referral_session_log, _("Session logged."),
                            note=request.POST.get("note", ""))


@login_required
@require_POST
def referral_close(request, pk):
    return _referral_action(request, pk, services.referral_close,
                            _("Referral closed with an outcome."),
                            outcome=request.POST.get("outcome", ""),
                            report=request.POST.get("report", ""))


@login_required
@require_POST
def referral_withdraw(request, pk):
    return _referral_action(request, pk, services.referral_withdraw, _("Referral withdrawn."),
                            note=request.POST.get("note", ""))


# --- Providers ---------------------------------------------------------------------------------

@login_required
def provider(request):
    _require_provider(request.user)
    ids = access.helpnet_provider_ids(request.user)
    refs = list(selectors.provider_referrals(request.user)[:100])
    for r in refs:
        r.partner_name = access.display_name_for_partner(r.supervisee)
    appointments = list(selectors.provider_appointments(request.user).filter(
        slot__starts_at__gte=timezone.now() - datetime.timedelta(days=1))[:50])
    for a in appointments:
        a.partner_name = access.display_name_for_partner(a.supervisee)
    return render(request, "helpnet/provider.html", {
        "organisations": [o for o in access.actor_for(request.user).organisations
                          if o.pk in ids],
        "referrals": refs, "appointments": appointments,
        "services": selectors.services_managed_by(request.user).select_related("organisation"),
        "counselling": bool(access.helpnet_provider_ids(request.user, counselling_only=True)),
    })


@login_required
def service_create(request):
    _require_provider(request.user)
    return _service_form(request, None)


@login_required
def service_edit(request, pk):
    _require_provider(request.user)
    service = selectors._get_or_404(selectors.services_managed_by(request.user), pk)
    return _service_form(request, service)


def _service_form(request, service):
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        org_id = service.organisation_id if service else access.helpnet_provider_ids(
            request.user)[0]
        try:
            services.service_save(actor=request.user, organisation_id=org_id,
                                  service=service, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Service saved."))
            return redirect("helpnet:provider")
    return render(request, "helpnet/service_form.html", {"form": form, "service": service})


@login_required
def slots(request):
    _require_provider(request.user, counselling=True)
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.slot_create(
                actor=request.user,
                organisation_id=access.helpnet_provider_ids(request.user,
                                                            counselling_only=True)[0],
                starts_at=data["starts_at"],
                ends_at=data["starts_at"] + datetime.timedelta(minutes=data["minutes"]),
                mode=data["mode"], place=data["place"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Slot published."))
            return redirect("helpnet:slots")
    rows = list(selectors.slots_for_provider(request.user))
    for slot in rows:
        slot.booking = slot.live[0] if slot.live else None
        if slot.booking:
            slot.booking.partner_name = access.display_name_for_partner(slot.booking.supervisee)
    return render(request, "helpnet/slots.html", {"form": form, "slots": rows})


@login_required
@require_POST
def slot_withdraw(request, pk):
    _require_provider(request.user, counselling=True)
    slot = selectors.slot_for_provider(request.user, pk)
    try:
        services.slot_withdraw(actor=request.user, slot_id=slot.pk)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Slot withdrawn."))
    return redirect("helpnet:slots")


# --- Appointments ------------------------------------------------------------------------------

@login_required
def appointment(request, pk):
    appt = selectors.appointment_for(request.user, pk)
    viewer = _viewer(request.user, organisation_id=appt.slot.organisation_id,
                     supervisee=appt.supervisee)
    context = {"appointment": appt, "viewer": viewer,
               "can_cancel": appt.status == "booked" and appt.slot.starts_at > timezone.now()}
    if access.can_read_session_notes(request.user, appt):
        context["notes"] = appt.notes.select_related("author")
        context["note_form"] = NoteForm()
        context["attendance_form"] = AttendanceForm(initial={
            "shared_summary": appt.shared_summary})
        context["name"] = access.display_name_for_partner(appt.supervisee)
    elif viewer == "staff":
        access_log_record(actor=request.user, supervisee=appt.supervisee,
                          action=AccessLogEntry.Action.VIEW,
                          what=_("Counselling appointment"), path=request.path)
    return render(request, "helpnet/appointment.html", context)


@login_required
@require_POST
def appointment_cancel(request, pk):
    appt = selectors.appointment_for(request.user, pk)
    try:
        services.appointment_cancel(actor=request.user, appointment_id=appt.pk)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Appointment cancelled."))
    return redirect("helpnet:appointment", pk=appt.pk)


@login_required
@require_POST
def appointment_attendance(request, pk):
    appt = selectors.appointment_for(request.user, pk)
    if not access.can_read_session_notes(request.user, appt):
        raise PermissionDenied
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the person came."))
    else:
        try:
            services.attendance_record(actor=request.user, appointment_id=appt.pk,
                                       attended=form.cleaned_data["attended"],
                                       shared_summary=form.cleaned_data["shared_summary"])
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Attendance recorded."))
    return redirect("helpnet:appointment", pk=appt.pk)


@login_required
@require_POST
def appointment_note(request, pk):
    appt = selectors.appointment_for(request.user, pk)
    if not access.can_read_session_notes(request.user, appt):
        raise PermissionDenied
    try:
        services.session_note_add(actor=request.user, appointment_id=appt.pk,
                                  text=request.POST.get("text", ""))
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Note saved."))
    return redirect("helpnet:appointment", pk=appt.pk)


# --- Education-help fund ---------------------------------------------------------------------

@login_required
def fund_list(request):
    _require_staff(request.user)
    status = request.GET.get("status", "")
    rows = selectors.fund_for(request.user).order_by("-created_at", "-pk")
    if status in ("submitted", "approved", "rejected", "paid"):
        rows = rows.filter(status=status)
    access_log_record(actor=request.user, supervisee=None, action=AccessLogEntry.Action.LIST,
                      what=_("Education-help fund list"), path=request.path)
    return render(request, "helpnet/fund_list.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "status": status})


@login_required
def fund_create(request, pk):
    _require_staff(request.user)
    person = access.supervisee_for_staff(request.user, pk, what=_("Fund application form"),
                                         path=request.path)
    form = FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.fund_apply(actor=request.user, supervisee=person,
                                              **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Application submitted. Add the supporting "
                                        "documents below."))
            return redirect("helpnet:fund", pk=application.pk)
    return render(request, "helpnet/fund_form.html", {"form": form, "person": person})


@login_required
def fund_detail(request, pk):
    application = selectors.fund_application_for(request.user, pk)
    viewer = _viewer(request.user, supervisee=application.supervisee)
    if viewer != "person":
        access_log_record(actor=request.user, supervisee=application.supervisee,
                          action=AccessLogEntry.Action.VIEW,
                          what=_("Education-help fund application"), path=request.path)
    return render(request, "helpnet/fund_detail.html", {
        "application": application, "viewer": viewer,
        "can_decide": viewer == "staff" and access.can_decide_fund(request.user, application),
        "can_edit": viewer == "staff" and access.can_refer(request.user,
                                                           application.supervisee),
        "decide_form": DecideForm(), "upload_form": UploadForm(),
    })


def _fund_action(request, pk, action, success, **kwargs):
    application = selectors.fund_application_for(request.user, pk)
    if not selectors.is_unit_staff(request.user):
        raise PermissionDenied
    try:
        action(actor=request.user, application_id=application.pk, **kwargs)
    except ServiceError as error:
        if error.status == 403:
            raise PermissionDenied from None
        _refused(request, error)
    else:
        messages.success(request, success)
    return redirect("helpnet:fund", pk=application.pk)


@login_required
@require_POST
def fund_decide(request, pk):
    approve = request.POST.get("decision") == "approve"
    return _fund_action(request, pk, services.fund_decide,
                        _("Application approved.") if approve else _("Application rejected."),
                        approve=approve, note=request.POST.get("note", ""),
                        amount_approved=request.POST.get("amount_approved") or None)


@login_required
@require_POST
def fund_pay(request, pk):
    return _fund_action(request, pk, services.fund_pay, _("Payment recorded."),
                        reference=request.POST.get("reference", ""))


@login_required
@require_POST
def fund_follow_up(request, pk):
    return _fund_action(request, pk, services.fund_follow_up, _("Follow-up saved."),
                        note=request.POST.get("note", ""))


@login_required
@require_POST
def fund_upload(request, pk):
    return _fund_action(request, pk, services.fund_document_add, _("Document added."),
                        upload=request.FILES.get("file"))


@login_required
def fund_document(request, pk):
    """A supporting document, to staff who may see the application: always a download."""
    _require_staff(request.user)
    try:
        document = FundDocument.objects.select_related("application__supervisee").get(
            pk=pk, application__in=selectors.fund_for(request.user).values("pk"))
    except (FundDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_log_record(actor=request.user, supervisee=document.application.supervisee,
                      action=AccessLogEntry.Action.VIEW,
                      what=_("Fund document %(name)s") % {"name": document.original_name},
                      path=request.path)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(handle, filename=document.original_name,
                               content_type=document.content_type)


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.access import (
    can_invite,
    can_read_unit_access_log,
    can_use_caseload,
    supervisee_for_staff,
)
from portal.accounts.services import invitation_create, invitation_url
from portal.audit.models import AccessLogEntry
from portal.audit.selectors import access_log_filter, entries_for_supervisee
from portal.audit.services import access_log_record

from .forms import (
    StaffConsentForm,
    SuperviseeCreateForm,
    SuperviseeForm,
    restriction_formsets,
)
from .selectors import (
    consent_history,
    consent_rows,
    restrictions_for,
    target_for,
)
from .services import consent_record, supervisee_create, supervisee_update

ACCESS_LOG_PAGE_SIZE = 50


def _require_staff(user):
    if not can_use_caseload(user):
        raise PermissionDenied


def _remember_invitation(request, supervisee, raw_token):
    # Shown once, on this person's page only: the link is a password in all but name.
    request.session["last_invitation"] = {
        "pk": supervisee.pk, "url": request.build_absolute_uri(invitation_url(raw_token))}


def _add_service_error(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def supervisee_detail(request, pk):
    _require_staff(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Opened record"),
                                      path=request.path)
    invitation = request.session.get("last_invitation")
    if isinstance(invitation, dict) and invitation.get("pk") == supervisee.pk:
        del request.session["last_invitation"]
    else:
        invitation = None
    return render(request, "people/supervisee_detail.html", {
        "supervisee": supervisee,
        **restrictions_for(supervisee),
        "consents": consent_rows(supervisee),
        "consent_history": consent_history(supervisee),
        "consent_form": StaffConsentForm(),
        "target": target_for(supervisee),
        "skills": supervisee.skills.all(),
        "invitation_url": invitation["url"] if invitation else "",
    })


@login_required
def supervisee_new(request):
    _require_staff(request.user)
    form = SuperviseeCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.record_fields if k != "legal_name"}
        try:
            supervisee = supervisee_create(created_by=request.user,
                                           username=form.cleaned_data["username"],
                                           legal_name=form.cleaned_data["legal_name"],
                                           phone=form.cleaned_data["phone"], **data)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            __, raw = invitation_create(user=supervisee.user, created_by=request.user)
            _remember_invitation(request, supervisee, raw)
            messages.success(request, _("Record created. Give the person the link below."))
            return redirect("people:detail", pk=supervisee.pk)
    if request.method == "POST":
        messages.error(request, _("The record was not saved. Please correct the marked fields."))
    return render(request, "people/supervisee_form.html", {"form": form, "creating": True})


@login_required
def supervisee_edit(request, pk):
    _require_staff(request.user)
    # The read is logged on every request; a successful save adds what changed.
    supervisee = supervisee_for_staff(request.user, pk, what=_("Opened record for editing"),
                                      path=request.path)
    heading = supervisee.legal_name  # the form changes the instance while validating
    data = request.POST if request.method == "POST" else None
    form = SuperviseeForm(data, instance=supervisee, user=request.user)
    formsets = restriction_formsets(data, supervisee)
    if request.method == "POST":
        if form.is_valid() and all([fs.is_valid() for fs in formsets]):
            try:
                updated = supervisee_update(
                    supervisee=supervisee, updated_by=request.user, restrictions=formsets,
                    **{k: form.cleaned_data[k] for k in form.record_fields})
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Record saved."))
                return redirect("people:detail", pk=updated.pk)
        messages.error(request, _("Nothing was saved. Please correct the marked fields."))
    return render(request, "people/supervisee_form.html",
                  {"form": form, "formsets": formsets, "supervisee": supervisee,
                   "heading": heading})


@login_required
@require_POST
def supervisee_invite(request, pk):
    _require_staff(request.user)
    if not can_invite(request.user):
        raise PermissionDenied
    supervisee = supervisee_for_staff(request.user, pk, what=_("Made a sign-in link"),
                                      path=request.path, action=AccessLogEntry.Action.EDIT)
    __, raw = invitation_create(user=supervisee.user, created_by=request.user)
    _remember_invitation(request, supervisee, raw)
    messages.success(request, _("A new link was made; earlier links no longer work."))
    return redirect("people:detail", pk=supervisee.pk)


@login_required
@require_POST
def supervisee_consent(request, pk):
    """Staff record a decision the person made on their behalf: a new Consent row."""
    _require_staff(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Opened record to record a consent"),
                                      path=request.path)
    form = StaffConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That choice was not understood; nothing was changed."))
        return redirect("people:detail", pk=supervisee.pk)
    consent_record(supervisee=supervisee, kind=form.cleaned_data["kind"],
                   granted=form.cleaned_data["granted"], recorded_by=request.user)
    messages.success(request, _("The person's decision has been recorded."))
    return redirect("people:detail", pk=supervisee.pk)


@login_required
@require_safe
def supervisee_access_log(request, pk):
    _require_staff(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Read the access log"),
                                      path=request.path)
    page = Paginator(entries_for_supervisee(supervisee), ACCESS_LOG_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "people/access_log.html", {"supervisee": supervisee, "page": page})


@login_required
@require_safe
def unit_access_log(request):
    """Read-only: who opened which record in the administrator's units."""
    if not can_read_unit_access_log(request.user):
        raise PermissionDenied
    # Reading who read whom is itself a read worth knowing about; written first, so the
    # list (evaluated while rendering) counts and shows the same rows.
    access_log_record(actor=request.user, action=AccessLogEntry.Action.LIST,
                      what=_("Read the unit access log"), path=request.get_full_path())
    filterset = access_log_filter(request.user, request.GET)
    page = Paginator(filterset.qs, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/unit_access_log.html", {
        "filter": filterset, "page": page,
        "filter_errors": filterset.is_bound and not filterset.is_valid(),
    })

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import Role, actor_for, can_invite, supervisee_for_staff
from portal.accounts.services import invitation_create, invitation_url
from portal.audit.models import AccessLogEntry

from .forms import RECORD_FIELDS, SuperviseeCreateForm, SuperviseeForm
from .selectors import caseload_for, current_consents, target_for
from .services import supervisee_create, supervisee_update


def _require_staff(user):
    if not actor_for(user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER):
        raise PermissionDenied


@login_required
def caseload(request):
    _require_staff(request.user)
    qs = caseload_for(request.user, filters={"mine": request.GET.get("mine") == "1"})
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "people/caseload.html", {"page": page})


@login_required
def supervisee_detail(request, pk):
    _require_staff(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Opened record"),
                                      path=request.path)
    return render(request, "people/supervisee_detail.html", {
        "supervisee": supervisee,
        "prohibitions": supervisee.prohibitions.select_related("venue_type", "district"),
        "bans": supervisee.occupational_bans.select_related("industry"),
        "travel": supervisee.travel_approvals.select_related("destination"),
        "consents": current_consents(supervisee),
        "target": target_for(supervisee),
        "skills": supervisee.skills.all(),
    })


@login_required
def supervisee_new(request):
    _require_staff(request.user)
    form = SuperviseeCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in RECORD_FIELDS}
        supervisee = supervisee_create(created_by=request.user,
                                       username=form.cleaned_data["username"],
                                       phone=form.cleaned_data["phone"], **data)
        _, raw = invitation_create(user=supervisee.user, created_by=request.user)
        request.session["last_invitation"] = request.build_absolute_uri(invitation_url(raw))
        messages.success(request, _("Record created. Give the person the link below."))
        return redirect("people:detail", pk=supervisee.pk)
    return render(request, "people/supervisee_form.html", {"form": form, "creating": True})


@login_required
def supervisee_edit(request, pk):
    _require_staff(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Opened record for editing"),
                                      path=request.path)
    form = SuperviseeForm(request.POST or None, instance=supervisee, user=request.user)
    if request.method == "POST" and form.is_valid():
        supervisee_update(supervisee=supervisee, updated_by=request.user,
                          **{k: form.cleaned_data[k] for k in RECORD_FIELDS})
        messages.success(request, _("Record saved."))
        return redirect("people:detail", pk=supervisee.pk)
    return render(request, "people/supervisee_form.html",
                  {"form": form, "supervisee": supervisee})


@login_required
@require_POST
def supervisee_invite(request, pk):
    _require_staff(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Sent a sign-in link"),
                                      path=request.path, action="edit")
    if not can_invite(request.user):
        raise PermissionDenied
    _, raw = invitation_create(user=supervisee.user, created_by=request.user)
    request.session["last_invitation"] = request.build_absolute_uri(invitation_url(raw))
    messages.success(request, _("A new link was made; earlier links no longer work."))
    return redirect("people:detail", pk=supervisee.pk)


@login_required
def supervisee_access_log(request, pk):
    _require_staff(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Read the access log"),
                                      path=request.path)
    entries = AccessLogEntry.objects.filter(supervisee=supervisee).select_related("actor")[:200]
    return render(request, "people/access_log.html",
                  {"supervisee": supervisee, "entries": entries})


@login_required
def accounts(request):
    if not actor_for(request.user).has(Role.UNIT_ADMIN, Role.SUPERUSER):
        raise PermissionDenied
    from .selectors_accounts import accounts_overview

    return render(request, "people/accounts.html", accounts_overview(request.user))

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .forms import SetPasswordForm, StaffInviteForm
from .selectors import can_manage_staff, editors_for, staff_account_for, staff_memberships_for
from .services import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_notify,
    invitation_url,
    staff_account_create,
)

LOGIN_BACKEND = "portal.accounts.backends.UsernameOrPhoneBackend"
LAST_INVITATION_SESSION_KEY = "xy_staff_invitation"


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request, token):
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = SetPasswordForm(invitation.user,
                           request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(invitation=invitation,
                                     password=form.cleaned_data["password1"])
        except ValueError:
            return render(request, "accounts/invitation_invalid.html", status=404)
        messages.success(request, _("Your password is set. Welcome to Xiangyang."))
        # Sign in through allauth, so an account that already has two-factor still goes
        # through that step, and the session knows the password was typed just now: new
        # staff then set up two-factor without being asked for the password again.
        user.backend = LOGIN_BACKEND
        record_authentication(request, user, method="password", username=user.username,
                              reauthenticated=True)
        return perform_login(request, user, redirect_url=reverse("dashboard"))
    return render(request, "accounts/invitation_accept.html",
                  {"form": form, "invited_user": invitation.user})


def _require_staff_manager(user):
    if not can_manage_staff(user):
        raise PermissionDenied


@never_cache
@login_required
def staff_list(request):
    _require_staff_manager(request.user)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(staff_memberships_for(request.user, search=search), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/staff_list.html", {
        "page": page,
        "editors": editors_for(request.user, search=search),
        "search": search,
        "invitation": request.session.pop(LAST_INVITATION_SESSION_KEY, None),
    })


def _show_link_once(request, user, raw_token):
    emailed = invitation_notify(user=user, raw_token=raw_token)
    request.session[LAST_INVITATION_SESSION_KEY] = {
        "url": request.build_absolute_uri(invitation_url(raw_token)),
        "name": str(user),
        "username": user.username,
        "emailed": emailed,
    }


@login_required
def staff_invite(request):
    _require_staff_manager(request.user)
    form = StaffInviteForm(request.POST if request.method == "POST" else None,
                           user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, raw = staff_account_create(
            created_by=request.user, role=data["role"], username=data["username"],
            display_name=data["display_name"], phone=data["phone"], email=data["email"],
            title=data["title"], unit=data["unit"], organisation=data["organisation"],
        )
        _show_link_once(request, user, raw)
        messages.success(request, _("The account was created. Give the person the link "
                                    "below; it works once."))
        return redirect("staff:list")
    return render(request, "accounts/staff_invite.html", {"form": form})


@login_required
@require_POST
def staff_new_link(request, user_id):
    _require_staff_manager(request.user)
    account = staff_account_for(request.user, user_id)
    if account is None:
        raise Http404
    if account.has_usable_password():
        # A new link would let whoever holds it replace a password the person chose.
        messages.error(request, _("%(name)s has already set a password. If they forgot it, "
                                  "they can reset it from the sign-in page.")
                       % {"name": account})
        return redirect("staff:list")
    _invitation, raw = invitation_create(user=account, created_by=request.user)
    _show_link_once(request, account, raw)
    messages.success(request, _("A new link was made; earlier links no longer work."))
    return redirect("staff:list")

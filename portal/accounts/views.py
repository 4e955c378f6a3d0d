from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .forms import SetPasswordForm
from .services import invitation_accept, invitation_for_token


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request, token):
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(invitation=invitation,
                                     password=form.cleaned_data["password1"])
        except ValueError:
            return render(request, "accounts/invitation_invalid.html", status=404)
        login(request, user, backend="portal.accounts.backends.UsernameOrPhoneBackend")
        messages.success(request, _("Your password is set. Welcome to Xiangyang."))
        return redirect("dashboard")
    return render(request, "accounts/invitation_accept.html",
                  {"form": form, "invited_user": invitation.user})

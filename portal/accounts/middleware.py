from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from portal.access import is_staff_role

# Where the next page after setting up two-factor is kept (the recovery-codes page
# offers it as "Continue").
MFA_NEXT_SESSION_KEY = "xy_mfa_next"


class StaffTwoFactorMiddleware:
    """Staff roles (caseworkers, unit administrators, editors, superusers) must set up an
    authenticator app (TOTP) before they may use anything but the sign-in, sign-out,
    password and two-factor pages under /accounts/. The Wagtail admin (/admin/) is
    covered like every other page. Switched on by settings.XY_REQUIRE_STAFF_MFA
    (production forces it).

    It also answers 403 to signed-in users without Wagtail admin access who open
    /admin/ (see below), whatever the setting."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/")
    API_PREFIX = "/api/"
    ADMIN_PREFIX = "/admin/"
    ADMIN_LOGIN = "/admin/login/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.XY_REQUIRE_STAFF_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and is_staff_role(request.user)
            and not has_totp(request.user)
        ):
            if request.path.startswith(self.API_PREFIX):
                # A browser session of staff without two-factor: refused like any other
                # page, in the API's error shape (bearer-token clients never get here).
                return JsonResponse(
                    {"detail": _("Set up two-factor authentication first."),
                     "code": "mfa_required"},
                    status=403,
                )
            return redirect_to_totp_setup(request)
        if (
            request.path.startswith(self.ADMIN_PREFIX)
            and not request.path.startswith(self.ADMIN_LOGIN)
            and request.user.is_authenticated
            and not request.user.has_perm("wagtailadmin.access_admin")
        ):
            # Wagtail sends a signed-in user without admin access to its login URL, which
            # is the portal's login; that sends a signed-in user back to ?next=/admin/:
            # an endless redirect. Such a user gets the portal's 403 page instead.
            raise PermissionDenied
        return self.get_response(request)


def redirect_to_totp_setup(request):
    target = reverse("mfa_activate_totp")
    next_url = request.get_full_path()
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        request.session[MFA_NEXT_SESSION_KEY] = next_url
        target += "?" + urlencode({"next": next_url})
    return redirect(target)


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    loaded = getattr(user, "xy_totp", None)  # read with the account (portal.access)
    if loaded is not None:
        return loaded

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

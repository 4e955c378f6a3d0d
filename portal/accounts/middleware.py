from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from portal.access import actor_for


class StaffTwoFactorMiddleware:
    """Staff roles (caseworkers, administrators, editors, superusers) must set up TOTP
    before they can use anything but the two-factor set-up and logout pages."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.XY_REQUIRE_STAFF_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and actor_for(request.user).is_staff_role
            and not _has_totp(request.user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

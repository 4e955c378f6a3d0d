"""How an API caller proves who they are: a bearer token or the browser session.

Bearer tokens are Wagtail's own APIToken rows: only an HMAC of the token is stored, and a
revoked token stops working at once. The session works for the portal's own pages (with
the CSRF header on unsafe methods, like any form)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from wagtail.models import APIToken

from portal.access import actor_for
from portal.accounts.middleware import has_totp

from .errors import ApiError


def token_user(raw: str):
    """The active user behind a bearer token and its row, or (None, None)."""
    if not raw or not APIToken.validate_token_format(raw):
        return None, None
    row = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(raw), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None, None
    return row.user, row


LAST_USED_STEP = datetime.timedelta(minutes=1)


def staff_mfa_required(user) -> bool:
    """Staff roles must use two-factor sign-in where the deployment requires it."""
    return bool(settings.XY_REQUIRE_STAFF_MFA) and actor_for(user).is_staff_role


def mfa_setup_missing() -> ApiError:
    # The same code StaffTwoFactorMiddleware answers a staff session with.
    return ApiError(403, "mfa_required", _("Set up two-factor authentication first."))


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user, row = token_user(token)
        if user is None:
            return None
        now = timezone.now()
        # "Last used" to the minute: one write a minute per client, not one per request
        # (which also lets a client's repeated reads be answered from the page cache).
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_STEP:
            APIToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = user
        request.api_token = row
        return user


class Session(SessionAuth):
    """The browser session, CSRF-checked on unsafe methods.

    The CSRF check only matters when a session user exists: without one the caller is
    not authenticated by this method anyway, and a token client whose token failed must
    hear 401 (sign in again), not a confusing CSRF 403."""

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        result = super().__call__(request)  # runs the CSRF check, then authenticate()
        if result is not None and staff_mfa_required(result) and not has_totp(result):
            # StaffTwoFactorMiddleware refuses such a session before it gets here; this
            # keeps the API safe should the middleware's paths ever change.
            raise mfa_setup_missing()
        request.api_token = None
        return result


AUTH = [BearerToken(), Session()]

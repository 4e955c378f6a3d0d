from allauth.core import ratelimit
from django.contrib.auth import authenticate
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from wagtail.models import APIToken

from portal.accounts.middleware import has_totp
from portal.api.auth import BearerToken, mfa_setup_missing, staff_mfa_required
from portal.api.errors import ApiError, errors
from portal.api.schemas import Out

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str = Field(..., min_length=1, max_length=150,
                          description="Username or mobile number.")
    password: str = Field(..., min_length=1, max_length=4096)
    otp: str | None = Field(None, max_length=20, description=(
        "Six-digit code from the authenticator app: staff accounts only, where the "
        "portal requires two-factor sign-in."))
    device: str | None = Field(None, max_length=100,
                               description="A label for this token, e.g. the phone's name.")


class TokenOut(Out):
    token: str = Field(..., description="Send as `Authorization: Bearer <token>`.")


def _login_failed_key(request, login: str) -> str:
    # The same bucket allauth's web login counts failures in (its adapter's
    # "login_failed" key), so guessing through the API and the web form adds up.
    return f"{get_current_site(request).domain}:{login.lower()}"


def _too_many() -> ApiError:
    return ApiError(429, "rate_limited", _("Too many failed sign-in attempts. "
                                           "Please wait a few minutes and try again."))


@router.post("/token", auth=None, url_name="auth_token",
             response={200: TokenOut, **errors(400, 401, 403, 422, 429)},
             summary="Get a bearer token")
def token_create(request, credentials: Credentials):
    """Exchange a username (or mobile number) and password for a bearer token.

    Failed attempts are rate-limited like the web login (429 `rate_limited`).
    Staff accounts that must use two-factor sign-in send `otp` as well
    (401 `otp_required` without it)."""
    key = _login_failed_key(request, credentials.username)
    if not ratelimit.consume(request, action="login_failed", key=key, dry_run=True):
        raise _too_many()

    user = authenticate(request, username=credentials.username,
                        password=credentials.password)
    if user is None:
        ratelimit.consume(request, action="login_failed", key=key)
        raise ApiError(401, "invalid_credentials", _("Wrong username or password."))

    if staff_mfa_required(user):
        if not has_totp(user):
            raise mfa_setup_missing()
        if not credentials.otp:
            raise ApiError(401, "otp_required",
                           _("Enter the code from your authenticator app."))
        if not _otp_valid(user, credentials.otp):
            ratelimit.consume(request, action="login_failed", key=key)
            raise ApiError(401, "invalid_otp", _("That code is not valid."))

    _row, raw = APIToken.create_token(user=user, name=(credentials.device or "app")[:100])
    return {"token": raw}


def _otp_valid(user, code: str) -> bool:
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP).first()
    return bool(authenticator and authenticator.wrap().validate_code(code.strip()))


@router.delete("/token", auth=BearerToken(), url_name="auth_token",
               response={204: None, **errors(401)}, summary="Revoke this token")
def token_revoke(request):
    """Revoke the bearer token this request was made with; it answers 401 from now on."""
    request.api_token.revoke()
    return Status(204, None)

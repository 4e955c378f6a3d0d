"""The person's check-in code: a signed, expiring payload that names an account and
nothing else, shown as a QR code on their phone (/me/qr/) and read by an organiser.

Features verify it with one call and then apply their own rules (is this person signed
up? may this organiser record them?):

    from portal.checkin.services import checkin_verify
    try:
        user = checkin_verify(request.POST["payload"])
    except ServiceError as error:
        messages.error(request, error.message)   # error.code: "malformed" | "invalid"
                                                 #   | "expired" | "unknown"

The payload carries only the account id, signed with SECRET_KEY under its own salt and
time-stamped: it cannot be forged or altered, and a screenshot stops working after
XY_CHECKIN_MAX_AGE seconds (15 minutes unless the settings say otherwise).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.translation import gettext_lazy as _

from portal.errors import ServiceError

PREFIX = "XY1."
SALT = "portal.checkin.person"
DEFAULT_MAX_AGE = 15 * 60


MESSAGES = {
    "malformed": _("That is not a Xiangyang check-in code."),
    "invalid": _("This check-in code is not valid. Ask the person to open their code "
                 "again."),
    "expired": _("This check-in code has expired. Ask the person to refresh the page "
                 "with their code."),
    "unknown": _("This check-in code is not valid. Ask the person to open their code "
                 "again."),
}


def _refused(code: str) -> ServiceError:
    return ServiceError(code, MESSAGES[code], 400)


def max_age() -> int:
    return getattr(settings, "XY_CHECKIN_MAX_AGE", DEFAULT_MAX_AGE)


def checkin_payload_for(user) -> str:
    """The text to put in the person's QR code, valid for max_age() seconds."""
    return PREFIX + signing.dumps({"u": user.pk}, salt=SALT)


def checkin_verify(payload: str, *, max_age_seconds: int | None = None):
    """The active account a payload names; ServiceError otherwise."""
    payload = (payload or "").strip()
    if not payload.startswith(PREFIX) or len(payload) > 500:
        raise _refused("malformed")
    try:
        data = signing.loads(payload[len(PREFIX):], salt=SALT,
                             max_age=max_age() if max_age_seconds is None else max_age_seconds)
    except signing.SignatureExpired:
        raise _refused("expired") from None
    except signing.BadSignature:
        raise _refused("invalid") from None
    user_id = data.get("u") if isinstance(data, dict) else None
    if not isinstance(user_id, int):
        raise _refused("invalid")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise _refused("unknown")
    return user


def qr_svg(payload: str, *, title: str = "") -> str:
    """An inline SVG QR code (segno); mark it safe in the template."""
    import segno

    return segno.make(payload, error="m").svg_inline(
        scale=6, border=4, title=title or None, omitsize=True, svgclass="qr-code", lineclass=None)

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

The QR code holds the payload inside a URL, /checkin/c/<payload>/ (checkin_url_for), so
any phone camera or WeChat opens the organiser's check-in page; checkin_verify takes that
URL as well as the bare payload. What an organiser can do there comes from the features
listed in ORGANISER_SOURCES (dotted paths, as portal.timeline): each is a function

    def checkin_actions(actor, person_user, *, now) -> list[CheckinAction]

answering the steps `actor` may take for that person right now (none for a stranger).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import timezone
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


# The payload inside a scanned URL: …/checkin/c/XY1.<signed>/
_IN_URL = re.compile(r"/checkin/c/(XY1\.[^/?#\s]+)/?(?:[?#].*)?$")


def payload_from_text(text: str) -> str:
    """The payload in what a reader gave: the bare payload, or the URL of the code."""
    text = (text or "").strip()
    match = _IN_URL.search(text)
    return match.group(1) if match else text


def checkin_url_for(user, *, request=None) -> str:
    """The URL the person's QR code holds (absolute when a request is at hand)."""
    path = reverse("checkin:scan", args=[checkin_payload_for(user)])
    return request.build_absolute_uri(path) if request is not None else path


def checkin_verify(payload: str, *, max_age_seconds: int | None = None):
    """The active account a payload (or the code's URL) names; ServiceError otherwise."""
    payload = payload_from_text(payload)
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


def code_for(user, *, request) -> dict:
    """A fresh code for the person's page and its JSON twin: the URL, its QR code as
    inline SVG, and when it stops working."""
    url = checkin_url_for(user, request=request)
    valid_for = max_age()
    return {
        "url": url,
        "svg": qr_svg(url, title=str(_("My check-in code"))),
        "valid_until": timezone.localtime() + datetime.timedelta(seconds=valid_for),
        # Fetch the next code a minute before this one expires.
        "refresh_after": max(valid_for - 60, 30),
    }


# --- What an organiser may do with a scanned code -----------------------------------------

ORGANISER_SOURCES: list[str] = [
    "volunteering.checkin.checkin_actions",
]


@dataclass(frozen=True)
class CheckinAction:
    title: str  # the activity or class
    when: datetime.datetime  # its start
    label: str  # the button: "Check in", "Check out", "Confirm"
    action: str  # the URL the button posts the payload to
    state: str = ""  # what is recorded so far, in words


def organiser_actions(actor, person_user, *, now=None) -> list[CheckinAction]:
    now = now or timezone.now()
    found = []
    for dotted in ORGANISER_SOURCES:
        module, _dot, name = dotted.rpartition(".")
        found.extend(getattr(import_module(module), name)(actor, person_user, now=now))
    return sorted(found, key=lambda a: a.when)

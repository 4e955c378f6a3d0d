"""The caller's own check-in code, fresh: the code page (/me/qr/) fetches the next one
before the shown one expires, and a phone app can show it the same way."""

from ninja import Field, Router

from portal.api.errors import errors
from portal.api.schemas import LocalDateTime, Out
from portal.checkin.services import code_for
from portal.checkin.views import alias_for

router = Router(tags=["check-in"])


class CheckinCodeOut(Out):
    url: str = Field(..., description=(
        "What the QR code holds: the organiser's check-in URL with the signed code. It "
        "names the account and nothing else."))
    svg: str = Field(..., description="The QR code as an inline SVG element.")
    valid_until: LocalDateTime
    refresh_after: int = Field(..., description="Seconds after which to fetch the next code.")
    name: str = Field(..., description=(
        "The name to show under the code: what partners see on rosters (alias, masked "
        "name, or 参加者 for a juvenile)."))


@router.get("/me/checkin-code", url_name="me_checkin_code",
            response={200: CheckinCodeOut, **errors(401)}, summary="A fresh check-in code")
def checkin_code(request):
    """A newly signed code for the caller, valid for 15 minutes (`valid_until`); fetch the
    next one after `refresh_after` seconds. Nothing is stored."""
    code = code_for(request.user, request=request)
    return {**code, "name": alias_for(request.user)}

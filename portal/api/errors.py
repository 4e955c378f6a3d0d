"""Every error answers {"detail": <translated>, "code": <stable>}."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str):
        self.status, self.code, self.detail = status, code, detail


def install(api):
    @api.exception_handler(ApiError)
    def _api_error(request, exc):
        return api.create_response(request, {"detail": str(exc.detail), "code": exc.code},
                                   status=exc.status)

    @api.exception_handler(ValidationError)
    def _validation(request, exc):
        malformed = any(e.get("type") == "json_invalid" for e in exc.errors)
        status = 400 if malformed else 422
        return api.create_response(
            request,
            {"detail": _("The request body is malformed.") if malformed
             else _("Some values are invalid."),
             "code": "malformed" if malformed else "invalid", "errors": exc.errors},
            status=status,
        )

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return api.create_response(
            request, {"detail": _("Please sign in."), "code": "not_authenticated"}, status=401)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api.create_response(
            request, {"detail": _("Not found."), "code": "not_found"}, status=404)

    @api.exception_handler(HttpError)
    def _http(request, exc):
        return api.create_response(
            request, {"detail": str(exc.message), "code": f"http_{exc.status_code}"},
            status=exc.status_code)

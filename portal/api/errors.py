"""Every error answers {"detail": <translated>, "code": <stable>}.

Codes are part of the contract (docs/API.md lists them); the detail is for people and
follows the request's language. Ninja's own errors (malformed JSON, failed validation,
failed authentication, CSRF), Django's Http404 and PermissionDenied, unknown paths and
wrong methods under /api/v1/ are all translated into this one shape here.
"""

from __future__ import annotations

import json
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from portal.api.schemas import Out
from portal.errors import ServiceError


class ErrorOut(Out):
    """The body of every error answer."""

    detail: str
    code: str
    errors: list[dict[str, Any]] | None = None


class ApiError(Exception):
    """Raise from an endpoint to answer with an error: ApiError(409, "full", _("…"))."""

    def __init__(self, status: int, code: str, detail: str):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def not_found() -> ApiError:
    """The one answer for "does not exist" and "exists but not yours to see"."""
    return ApiError(404, "not_found", _("Not found."))


def conflict(code: str, detail: str) -> ApiError:
    return ApiError(409, code, detail)


# Status → (stable code, default detail) for errors raised without a code of their own.
_DEFAULTS = {
    400: ("malformed", gettext_lazy("The request body is malformed.")),
    401: ("not_authenticated", gettext_lazy("Please sign in.")),
    403: ("forbidden", gettext_lazy("You are not allowed to do this.")),
    404: ("not_found", gettext_lazy("Not found.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    409: ("conflict", gettext_lazy("This conflicts with the current state.")),
    422: ("invalid", gettext_lazy("Some values are invalid.")),
    429: ("rate_limited", gettext_lazy("Too many attempts. Please wait and try again.")),
}

# Documented error answers an endpoint can give; use with `response={200: X, **errors(401)}`.
ERROR_STATUSES = tuple(_DEFAULTS)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Response-schema entries for the error answers of an operation (for OpenAPI)."""
    return {status: ErrorOut for status in statuses}


def error_body(status: int, code: str | None = None, detail: str | None = None,
               **extra) -> dict:
    default_code, default_detail = _DEFAULTS.get(status, (f"http_{status}", ""))
    body = {"detail": str(detail if detail is not None else default_detail),
            "code": code or default_code}
    body.update(extra)
    return body


def json_error(status: int, code: str | None = None, detail: str | None = None,
               **extra) -> HttpResponse:
    """An error answer built outside ninja (unknown path, wrong method)."""
    return HttpResponse(json.dumps(error_body(status, code, detail, **extra), ensure_ascii=False),
                        status=status, content_type="application/json; charset=utf-8")


def install(api: NinjaAPI) -> None:
    def respond(request, status, code=None, detail=None, **extra):
        return api.create_response(request, error_body(status, code, detail, **extra),
                                   status=status)

    @api.exception_handler(ApiError)
    def _api_error(request, exc):
        return respond(request, exc.status, exc.code, exc.detail)

    @api.exception_handler(ServiceError)
    def _refused(request, exc):
        return respond(request, exc.status, exc.code, exc.message)

    @api.exception_handler(ValidationError)
    def _validation(request, exc):
        # Ninja reports a body that is not JSON at all as HttpError(400) (below); a body
        # that parses but has the wrong shape or values is a 422 with the field errors.
        return respond(request, 422, errors=_clean_errors(exc.errors))

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return respond(request, 401)

    @api.exception_handler(Throttled)
    def _throttled(request, exc):
        return respond(request, 429)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return respond(request, 404)

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return respond(request, 403)

    @api.exception_handler(HttpError)
    def _http(request, exc):
        status = exc.status_code
        if status == 403 and "CSRF" in str(exc.message):
            return respond(request, 403, "csrf_failed",
                           _("The CSRF check failed. Send the X-CSRFToken header."))
        # Ninja's own messages are English and unstable; answer with ours.
        return respond(request, status)


def _clean_errors(raw: list[dict]) -> list[dict]:
    """Field errors safe to serialise: location, pydantic type and message."""
    cleaned = []
    for error in raw:
        cleaned.append({
            "loc": [str(part) for part in error.get("loc", ())],
            "type": str(error.get("type", "")),
            "msg": str(error.get("msg", "")),
        })
    return cleaned


class PortalNinjaAPI(NinjaAPI):
    """NinjaAPI whose unknown paths and wrong methods answer in the error shape too.

    Ninja answers a wrong method with a bare text 405 and leaves unknown paths to Django's
    HTML 404 page; a client of /api/v1/ should get JSON everywhere."""

    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's schema, with the error answers every operation can give whether or not
        its author listed them: 401 where auth is needed, 403 (CSRF) on unsafe methods a
        session may call, 400 for a body that is not JSON, 422 for bad values."""
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        for item in schema.get("paths", {}).values():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                implied = set()
                security = [name for entry in operation.get("security", []) for name in entry]
                if security:
                    implied.add(401)
                    if "Session" in security and method in ("post", "put", "patch", "delete"):
                        implied.add(403)
                if operation.get("requestBody"):
                    implied |= {400, 422}
                if operation.get("parameters"):
                    implied.add(422)
                responses = operation["responses"]
                for status in sorted(implied):
                    if status in responses or str(status) in responses:
                        continue
                    # Ninja keys responses by int status; keep to that (no "401" beside 401).
                    responses[status] = {
                        "description": str(_DEFAULTS[status][1]),
                        "content": {"application/json": {"schema": ref}},
                    }
        return schema

    def _get_urls(self):
        from django.urls import URLPattern, re_path

        urls = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    # Ninja reverses this name to find its prefix; it answers nothing.
                    pattern.callback = _unknown_path
                else:
                    pattern.callback = _json_method_not_allowed(pattern.callback)
            urls.append(pattern)
        urls.append(re_path(r"^(?P<unknown>.*)$", _unknown_path, name="not-found"))
        return urls


def _json_method_not_allowed(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/json"):
            allow = response.get("Allow", "")
            response = json_error(405)
            if allow:
                response["Allow"] = allow
        return response

    return wrapped


def _unknown_path(request, *args, **kwargs):
    return json_error(404)


_unknown_path.csrf_exempt = True

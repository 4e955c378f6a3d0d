"""Every error from /api/v1/ has the {"detail", "code"} shape, whoever raised it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from ninja.errors import AuthenticationError, HttpError, ValidationError

from portal.api.api import api
from portal.api.errors import ApiError
from tests.api.conftest import assert_error


@pytest.mark.parametrize("exc,status,code", [
    (Http404("secret detail"), 404, "not_found"),
    (PermissionDenied("secret detail"), 403, "forbidden"),
    (AuthenticationError(), 401, "not_authenticated"),
    (HttpError(400, "Cannot parse request body"), 400, "malformed"),
    (HttpError(403, "CSRF check Failed"), 403, "csrf_failed"),
    (ValidationError([{"loc": ("body", "x"), "type": "missing", "msg": "Field required"}]),
     422, "invalid"),
    (ApiError(409, "already_enrolled", "Already enrolled."), 409, "already_enrolled"),
])
def test_exceptions_map_to_the_error_shape(exc, status, code):
    request = RequestFactory().get("/api/v1/me")
    response = api.on_exception(request, exc)
    body = assert_error(response, status, code)
    # Internal messages of Django and ninja do not leak to clients.
    assert "secret detail" not in body["detail"]


def test_unknown_paths_answer_json_404(client, db):
    for path in ("/api/v1/", "/api/v1/no-such-thing", "/api/v1/me/nothing/here/"):
        assert_error(client.get(path), 404, "not_found")


def test_wrong_method_answers_json_405_with_allow(client, db):
    response = client.put("/api/v1/me")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    response = client.get("/api/v1/auth/token")
    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].split(", ")) == {"POST", "DELETE"}


def test_details_follow_the_language_choice(client, db, settings):
    from django.utils import translation

    with translation.override("en"):
        english = str(ApiError(404, "not_found", "Not found.").detail)
    response = client.get("/api/v1/me", HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}=en")
    assert response.json() == {"detail": "Please sign in.", "code": "not_authenticated"}
    assert english == "Not found."

"""The browser session works for the API, and unsafe methods need the CSRF header."""

from django.test import Client

from portal.notifications.models import Notification
from tests.api.conftest import assert_error

CSRF = "abcdefghijklmnopqrstuvwxyzABCDEF"  # a well-formed 32-character CSRF secret


def _session_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="portal.accounts.backends.UsernameOrPhoneBackend")
    return client


def test_session_reads_work(world):
    client = _session_client(world.users["caseworker"])
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "caseworker"


def test_unsafe_method_without_csrf_is_refused_and_changes_nothing(world):
    user = world.users["supervisee"]
    notification = Notification.objects.create(recipient=user, kind="test", title="通知")
    client = _session_client(user)
    response = client.post(f"/api/v1/me/notifications/{notification.pk}/read")
    assert_error(response, 403, "csrf_failed")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_unsafe_method_with_csrf_header_works(world):
    user = world.users["supervisee"]
    notification = Notification.objects.create(recipient=user, kind="test", title="通知")
    client = _session_client(user)
    client.cookies["csrftoken"] = CSRF
    response = client.post(f"/api/v1/me/notifications/{notification.pk}/read",
                           HTTP_X_CSRFTOKEN=CSRF)
    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_logged_out_is_401(db):
    assert_error(Client().get("/api/v1/me"), 401, "not_authenticated")
    assert_error(Client(enforce_csrf_checks=True).post("/api/v1/me/notifications/1/read"),
                 401, "not_authenticated")

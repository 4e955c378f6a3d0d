"""Bearer tokens: create, use, revoke; failed sign-ins; rate limits; staff two-factor."""

import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from wagtail.models import APIToken

from tests import factories as f
from tests.api.conftest import assert_error


def test_token_lets_the_person_in(world, api):
    token = api.sign_in("supervisee")
    response = api.get("/me")
    assert response.status_code == 200
    assert response.json()["username"] == "supervisee"
    row = APIToken.objects.get(user=world.users["supervisee"])
    # Only a digest is stored, never the token itself.
    assert token not in (row.key_hash, row.prefix)
    assert row.key_hash == APIToken.hash_token(token)
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_last_used_is_kept_to_the_minute(world, api):
    api.sign_in("supervisee")
    api.get("/me")
    row = APIToken.objects.get(user=world.users["supervisee"])
    first = row.last_used_at
    api.get("/me")
    row.refresh_from_db()
    assert row.last_used_at == first  # a second call within the minute writes nothing
    APIToken.objects.filter(pk=row.pk).update(
        last_used_at=first - datetime.timedelta(minutes=2))
    api.get("/me")
    row.refresh_from_db()
    assert row.last_used_at > first - datetime.timedelta(minutes=1)


def test_mobile_number_works_as_username(world, api):
    user = world.users["supervisee"]
    user.phone = "13800138000"
    user.save()
    api.sign_in("138 0013 8000")
    assert api.get("/me").json()["id"] == user.pk


def test_wrong_password_is_401_and_issues_nothing(world, api):
    response = api.post("/auth/token", {"username": "supervisee", "password": "nope-nope-nope"})
    assert_error(response, 401, "invalid_credentials")
    unknown = api.post("/auth/token", {"username": "nobody", "password": "nope-nope-nope"})
    assert_error(unknown, 401, "invalid_credentials")
    # The same answer for a wrong password and an unknown account.
    assert unknown.json() == response.json()
    assert not APIToken.objects.exists()


def test_inactive_account_gets_no_token(world, api):
    user = world.users["supervisee"]
    user.is_active = False
    user.save()
    response = api.post("/auth/token", {"username": "supervisee", "password": f.PASSWORD})
    assert_error(response, 401, "invalid_credentials")


def test_malformed_body_is_400(world, api):
    response = api.post("/auth/token", raw='{"username": "supervisee", ')
    assert_error(response, 400, "malformed")


def test_missing_fields_are_422_naming_them(world, api):
    response = api.post("/auth/token", {"username": "supervisee"})
    body = assert_error(response, 422, "invalid")
    assert ["body", "credentials", "password"] in [e["loc"] for e in body["errors"]]
    wrong_type = api.post("/auth/token", {"username": ["a"], "password": f.PASSWORD})
    assert_error(wrong_type, 422, "invalid")
    not_an_object = api.post("/auth/token", raw="[1, 2]")
    assert_error(not_an_object, 422, "invalid")


def test_revoke_ends_the_token_and_only_that_one(world, api):
    first = api.sign_in("supervisee")
    second = api.sign_in("supervisee")
    response = api.delete("/auth/token", token=first)
    assert response.status_code == 204
    assert_error(api.get("/me", token=first), 401, "not_authenticated")
    assert APIToken.objects.get(key_hash=APIToken.hash_token(first)).revoked_at is not None
    # Revoking again with the dead token is refused, like any other use of it.
    assert_error(api.delete("/auth/token", token=first), 401, "not_authenticated")
    assert api.get("/me", token=second).status_code == 200


def test_revoked_or_made_up_bearer_is_401(world, api):
    token = api.sign_in("supervisee")
    APIToken.objects.update(revoked_at="2020-01-01T00:00:00Z")
    assert_error(api.get("/me", token=token), 401, "not_authenticated")
    assert_error(api.get("/me", token="wagtail_" + "A" * 33), 401, "not_authenticated")
    assert_error(api.get("/me", token="garbage"), 401, "not_authenticated")
    # A dead token on an unsafe method is still "sign in again", not a CSRF complaint.
    response = api.post("/me/notifications/1/read", token=token)
    assert_error(response, 401, "not_authenticated")


def test_token_of_deactivated_account_stops_working(world, api):
    token = api.sign_in("supervisee")
    world.users["supervisee"].is_active = False
    world.users["supervisee"].save()
    assert_error(api.get("/me", token=token), 401, "not_authenticated")


def test_delete_token_needs_a_bearer_token(world, api, login):
    login(world.users["supervisee"])
    assert_error(api.delete("/auth/token"), 401, "not_authenticated")


def test_failed_attempts_are_rate_limited_like_the_web_login(world, api, settings):
    # settings: "5/5m/key" failed attempts per login name.
    for _ in range(5):
        response = api.post("/auth/token", {"username": "supervisee", "password": "bad-guess-1"})
        assert response.status_code == 401
    blocked = api.post("/auth/token", {"username": "supervisee", "password": f.PASSWORD})
    assert_error(blocked, 429, "rate_limited")
    assert not APIToken.objects.exists()
    # Other accounts are not locked out by someone guessing at this one.
    assert api.post("/auth/token", {"username": "supervisee2",
                                    "password": f.PASSWORD}).status_code == 200


def test_successful_sign_ins_do_not_count_towards_the_limit(world, api):
    for _ in range(8):
        assert api.post("/auth/token", {"username": "supervisee",
                                        "password": f.PASSWORD}).status_code == 200


def _current_code(secret):
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_staff_need_their_second_factor_where_required(world, api, settings):
    settings.XY_REQUIRE_STAFF_MFA = True
    settings.MFA_TOTP_TOLERANCE = 1  # a code made just before a 30-second boundary
    caseworker = world.users["caseworker"]
    credentials = {"username": "caseworker", "password": f.PASSWORD}

    assert_error(api.post("/auth/token", credentials), 403, "mfa_required")

    secret = generate_totp_secret()
    TOTP.activate(caseworker, secret)
    assert Authenticator.objects.filter(user=caseworker).exists()
    assert_error(api.post("/auth/token", credentials), 401, "otp_required")
    assert_error(api.post("/auth/token", {**credentials, "otp": "000000"}), 401, "invalid_otp")
    assert not APIToken.objects.exists()
    response = api.post("/auth/token", {**credentials, "otp": _current_code(secret)})
    assert response.status_code == 200
    # Supervisees are not staff: password only.
    assert api.post("/auth/token", {"username": "supervisee",
                                    "password": f.PASSWORD}).status_code == 200


def test_staff_session_without_second_factor_is_refused(world, api, login, settings):
    settings.XY_REQUIRE_STAFF_MFA = True
    login(world.users["caseworker"])
    assert_error(api.get("/me"), 403, "mfa_required")
    login(world.users["supervisee"])
    assert api.get("/me").status_code == 200

"""Two-factor (TOTP) for staff: required when XY_REQUIRE_STAFF_MFA is on (production),
for every page including the Wagtail admin; supervisees and partners are not asked."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import override_settings

from tests import factories as f
from tests.accounts.conftest import sign_in

STAFF = ["caseworker", "unit_admin", "editor", "superuser"]
NOT_STAFF = ["supervisee", "ngo", "enterprise"]
SETUP = "/accounts/2fa/totp/activate/"


def code_for(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def give_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@override_settings(XY_REQUIRE_STAFF_MFA=True)
@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("path", ["/dashboard/", "/admin/", "/staff/", "/"])
def test_staff_without_totp_are_sent_to_set_it_up(world, login, role, path):
    client = login(world.users[role])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert f"next={path.replace('/', '%2F')}" in response["Location"]


@override_settings(XY_REQUIRE_STAFF_MFA=True)
@pytest.mark.parametrize("role", NOT_STAFF)
def test_supervisees_and_partners_are_not_asked(world, login, role):
    client = login(world.users[role])
    response = client.get("/dashboard/")
    assert response.status_code == 200


@override_settings(XY_REQUIRE_STAFF_MFA=True)
@pytest.mark.parametrize("role", STAFF)
def test_staff_with_totp_get_through(world, login, role):
    user = world.users[role]
    give_totp(user)
    client = login(user)
    assert client.get("/dashboard/").status_code == 200
    if role in ("editor", "unit_admin", "superuser"):
        admin = client.get("/admin/")
        assert not admin.get("Location", "").startswith(SETUP)


@override_settings(XY_REQUIRE_STAFF_MFA=True)
def test_editor_with_totp_reaches_the_wagtail_admin(world, login):
    user = world.users["editor"]
    give_totp(user)
    assert login(user).get("/admin/").status_code == 200


@override_settings(XY_REQUIRE_STAFF_MFA=False)
def test_without_the_setting_staff_are_not_redirected(world, login):
    client = login(world.users["caseworker"])
    assert client.get("/dashboard/").status_code == 200


@override_settings(XY_REQUIRE_STAFF_MFA=True)
def test_account_pages_stay_open_while_setting_up(world, login):
    client = login(world.users["caseworker"])
    for path in ["/accounts/2fa/", "/accounts/password/change/", "/accounts/logout/"]:
        assert client.get(path).status_code == 200, path
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


@override_settings(XY_REQUIRE_STAFF_MFA=True)
def test_browser_api_calls_of_staff_without_totp_are_refused_as_json(world, login):
    client = login(world.users["caseworker"])
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


@override_settings(XY_REQUIRE_STAFF_MFA=True)
def test_no_redirect_to_another_site_after_setup(world, login):
    client = login(world.users["caseworker"])
    response = client.get("//evil.example/")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@override_settings(XY_REQUIRE_STAFF_MFA=True)
def test_staff_set_up_totp_through_the_pages_and_then_get_through(world, english):
    """Sign in, get sent to the set-up page, confirm the password, scan (compute) the
    code, see the recovery codes, continue to where they were going."""
    assert sign_in(english, "caseworker").status_code == 302
    first = english.get("/people/")
    assert first["Location"].startswith(SETUP)
    # allauth asks for the password again before an authenticator is added.
    page = english.get(first["Location"], follow=True)
    reauth_url = page.redirect_chain[-1][0]
    assert reauth_url.startswith("/accounts/reauthenticate/")
    assert "Confirm it is you" in page.content.decode()
    page = english.post(reauth_url, {"password": f.PASSWORD}, follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Set up an authenticator app" in html
    assert 'class="site-header"' in html
    secret = page.context["form"].secret
    assert secret in html and "data:image/svg+xml;base64," in html

    wrong = english.post(SETUP, {"code": "000000" if code_for(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    assert not Authenticator.objects.filter(user=world.users["caseworker"]).exists()

    done = english.post(SETUP, {"code": code_for(secret)}, follow=True)
    assert done.status_code == 200
    assert done.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    codes_html = done.content.decode()
    assert "Recovery codes" in codes_html
    assert 'href="/people/"' in codes_html  # "Continue" goes where they were going
    assert Authenticator.objects.filter(user=world.users["caseworker"],
                                        type=Authenticator.Type.TOTP).exists()
    assert english.get("/people/").status_code == 200


@override_settings(XY_REQUIRE_STAFF_MFA=True)
def test_sign_in_with_totp_asks_for_the_code(world, english):
    user = world.users["caseworker"]
    secret = give_totp(user)
    response = sign_in(english, "caseworker")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in english.session  # not signed in yet
    page = english.get("/accounts/2fa/authenticate/")
    assert page.status_code == 200
    assert "Enter your two-factor code" in page.content.decode()
    assert 'class="site-header"' in page.content.decode()

    wrong = english.post("/accounts/2fa/authenticate/", {"code": "12345"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    assert "_auth_user_id" not in english.session

    ok = english.post("/accounts/2fa/authenticate/", {"code": code_for(secret)})
    assert ok.status_code == 302
    assert english.session["_auth_user_id"] == str(user.pk)
    assert english.get("/dashboard/").status_code == 200


def test_a_used_code_cannot_be_replayed(world, english):
    user = world.users["caseworker"]
    secret = give_totp(user)
    code = code_for(secret)
    sign_in(english, "caseworker")
    assert english.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    english.post("/accounts/logout/")
    sign_in(english, "caseworker")
    replay = english.post("/accounts/2fa/authenticate/", {"code": code})
    assert replay.status_code == 200
    assert "_auth_user_id" not in english.session


def test_mfa_management_pages_render_in_the_portal_layout(world, login, english):
    user = world.users["supervisee"]
    give_totp(user)
    login(user)
    index = english.get("/accounts/2fa/")
    html = index.content.decode()
    assert index.status_code == 200
    assert "<h1>Two-factor authentication</h1>" in html and 'class="site-header"' in html
    assert 'href="/accounts/2fa/totp/deactivate/"' in html
    # Turning off needs the password again; the page itself is ours.
    deactivate = english.get("/accounts/2fa/totp/deactivate/", follow=True)
    assert deactivate.status_code == 200
    assert "Confirm it is you" in deactivate.content.decode()


def test_supervisee_can_turn_totp_off_after_confirming(world, english):
    user = world.users["supervisee"]
    secret = give_totp(user)
    sign_in(english, "supervisee")
    english.post("/accounts/2fa/authenticate/", {"code": code_for(secret)})
    page = english.get("/accounts/2fa/totp/deactivate/", follow=True)
    reauth_url = page.redirect_chain[-1][0]
    assert reauth_url.startswith("/accounts/reauthenticate/")
    wrong = english.post(reauth_url, {"password": "not-mine"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    confirmed = english.post(reauth_url, {"password": f.PASSWORD}, follow=True)
    assert confirmed.status_code == 200
    assert "Turn off the authenticator app" in confirmed.content.decode()
    english.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

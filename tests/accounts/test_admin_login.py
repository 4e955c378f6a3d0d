"""The Wagtail admin signs in through the portal's own login (allauth, two-factor)."""

import pytest
from django.test import override_settings

from tests import factories as f
from tests.accounts.conftest import sign_in
from tests.accounts.test_mfa import code_for, give_totp


def test_anonymous_admin_visit_ends_at_the_portal_login(db, client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    final_url = response.redirect_chain[-1][0]
    assert final_url == "/accounts/login/?next=/admin/"
    assert 'name="login"' in response.content.decode()


def test_admin_login_url_redirects_keeping_next(db, client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_editor_who_signs_in_lands_in_the_admin(world, client):
    response = client.post("/accounts/login/?next=/admin/", {
        "login": "editor", "password": f.PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert "wagtail" in admin.content.decode().lower()


@pytest.mark.parametrize("username", ["supervisee", "ngo", "caseworker"])
def test_signed_in_users_without_admin_access_get_403_not_a_redirect_loop(world, client,
                                                                           username):
    sign_in(client, username)
    for path in ("/admin/", "/admin/pages/"):
        response = client.get(path)
        assert response.status_code == 403
        assert 'class="site-header"' in response.content.decode()


@override_settings(XY_REQUIRE_STAFF_MFA=True)
def test_editor_with_two_factor_goes_through_the_code_step_into_the_admin(world, client):
    secret = give_totp(world.users["editor"])
    response = client.post("/accounts/login/?next=/admin/", {
        "login": "editor", "password": f.PASSWORD, "next": "/admin/"})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    done = client.post("/accounts/2fa/authenticate/", {"code": code_for(secret)})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@override_settings(XY_REQUIRE_STAFF_MFA=True)
def test_editor_without_two_factor_is_stopped_before_the_admin(world, client):
    sign_in(client, "editor", next="/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")

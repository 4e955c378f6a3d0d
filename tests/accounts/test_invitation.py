"""The one-time link with which a person chooses the password of an account staff made."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from portal.accounts.models import Invitation
from portal.accounts.services import invitation_create, invitation_url, user_create
from tests.accounts.conftest import sign_in

User = get_user_model()
GOOD = "Sunflower-river-2025"
INVALID = "This link does not work"


@pytest.fixture
def invited(world):
    """A new account with no password and a fresh link for it."""
    user = user_create(username="newperson", display_name="新同事")
    invitation, raw = invitation_create(user=user, created_by=world.users["unit_admin"])
    return user, invitation, raw


def _state(user, invitation):
    user.refresh_from_db()
    invitation.refresh_from_db()
    return user.password, user.has_usable_password(), invitation.used_at


def test_valid_link_shows_the_username_and_sets_the_password(invited, english):
    user, invitation, raw = invited
    page = english.get(invitation_url(raw))
    assert page.status_code == 200
    html = page.content.decode()
    assert "newperson" in html and 'class="site-header"' in html
    assert page["Cache-Control"].startswith("max-age=0")
    response = english.post(invitation_url(raw), {"password1": GOOD, "password2": GOOD})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    # Signed in as the invited person, the link is spent, the password works.
    assert english.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    invitation.refresh_from_db()
    assert user.check_password(GOOD)
    assert invitation.used_at is not None
    assert english.get("/dashboard/").status_code == 200
    english.logout()
    assert sign_in(english, "newperson", GOOD).status_code == 302


def test_a_used_link_gets_a_clear_404_and_changes_nothing(invited, english):
    user, invitation, raw = invited
    english.post(invitation_url(raw), {"password1": GOOD, "password2": GOOD})
    english.logout()  # the test client's logout also drops its cookies
    english.cookies["xy_language"] = "en"
    before = _state(user, invitation)
    again = english.get(invitation_url(raw))
    assert again.status_code == 404
    assert INVALID in again.content.decode()
    post = english.post(invitation_url(raw), {"password1": "Other-pass-9876",
                                               "password2": "Other-pass-9876"})
    assert post.status_code == 404
    assert _state(user, invitation) == before
    assert "_auth_user_id" not in english.session


def test_an_expired_link_gets_a_404(invited, english):
    user, invitation, raw = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1))
    before = _state(user, invitation)
    assert english.get(invitation_url(raw)).status_code == 404
    response = english.post(invitation_url(raw), {"password1": GOOD, "password2": GOOD})
    assert response.status_code == 404
    assert INVALID in response.content.decode()
    assert _state(user, invitation) == before
    assert before[1] is False  # still no usable password


@override_settings(XY_INVITATION_DAYS=2)
def test_links_expire_after_the_configured_days(world):
    user = user_create(username="short", display_name="短期")
    invitation, _ = invitation_create(user=user, created_by=world.users["unit_admin"])
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=2)


def test_a_newer_link_replaces_the_older_one(invited, world, english):
    user, first, first_raw = invited
    second, second_raw = invitation_create(user=user, created_by=world.users["unit_admin"])
    first.refresh_from_db()
    assert first.revoked_at is not None
    response = english.post(invitation_url(first_raw), {"password1": GOOD, "password2": GOOD})
    assert response.status_code == 404
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert english.post(invitation_url(second_raw),
                        {"password1": GOOD, "password2": GOOD}).status_code == 302


@pytest.mark.parametrize("mangle", [
    lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),  # one character changed
    lambda raw: raw[:20],  # cut short
    lambda raw: raw + "x",  # lengthened
    lambda raw: "x" * 500,  # something else entirely
])
def test_tampered_tokens_get_a_404_and_change_nothing(invited, english, mangle):
    user, invitation, raw = invited
    before = _state(user, invitation)
    url = invitation_url(mangle(raw))
    assert english.get(url).status_code == 404
    response = english.post(url, {"password1": GOOD, "password2": GOOD})
    assert response.status_code == 404
    assert INVALID in response.content.decode()
    assert _state(user, invitation) == before
    # The real link still works afterwards.
    assert english.get(invitation_url(raw)).status_code == 200


def test_only_the_hash_of_the_token_is_stored(invited):
    _, invitation, raw = invited
    assert raw not in invitation.token_hash
    assert invitation.token_hash == Invitation.hash_token(raw)


@pytest.mark.parametrize("data, message", [
    ({"password1": "12345678", "password2": "12345678"}, "This password is too short"),
    ({"password1": "1234567890123", "password2": "1234567890123"},
     "This password is entirely numeric"),
    ({"password1": "password123", "password2": "password123"}, "too common"),
    ({"password1": "newperson-2025", "password2": "newperson-2025"}, "too similar"),
    ({"password1": GOOD, "password2": GOOD + "x"}, "The two passwords differ"),
    ({"password1": GOOD, "password2": ""}, "This field is required"),
    ({}, "This field is required"),
])
def test_weak_or_mismatched_passwords_reshow_the_form(invited, english, data, message):
    user, invitation, raw = invited
    before = _state(user, invitation)
    response = english.post(invitation_url(raw), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'name="password1"' in html
    assert _state(user, invitation) == before
    assert "_auth_user_id" not in english.session


@override_settings(XY_REQUIRE_STAFF_MFA=True)
def test_invited_staff_go_straight_to_two_factor_setup(world, client):
    """After choosing the password a new caseworker sets up the authenticator app at once,
    without being asked for the password again."""
    from portal.accounts.services import staff_account_create

    user, raw = staff_account_create(
        created_by=world.users["unit_admin"], role="caseworker", username="xinren",
        display_name="新人", unit=world.squad1)
    response = client.post(invitation_url(raw), {"password1": GOOD, "password2": GOOD},
                           follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert "form" in response.context and hasattr(response.context["form"], "secret")

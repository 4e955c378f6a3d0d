"""Signing in with a username or a mobile number, and everything that goes wrong there."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from portal.accounts.adapter import AccountAdapter
from tests import factories as f
from tests.accounts.conftest import sign_in

User = get_user_model()

MISMATCH = "The username or mobile number and the password do not match"


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_login_page_renders_in_the_portal_layout(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html  # inside base.html, not allauth's bare page
    assert 'name="login"' in html and 'autocomplete="username"' in html
    assert 'href="/accounts/password/reset/"' in html
    assert "/accounts/signup/" not in html  # no sign-up offered


@pytest.mark.django_db
def test_login_label_is_translatable_and_english_reads_username_or_mobile(english):
    html = english.get("/accounts/login/").content.decode()
    assert "Username or mobile number" in html
    assert "<h1>Sign in</h1>" in html
    assert "<title>Sign in · Xiangyang</title>" in html


def test_sign_in_with_username(world, client):
    response = sign_in(client, "caseworker")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert _signed_in_as(client) == str(world.users["caseworker"].pk)


@pytest.mark.parametrize("typed", ["13800138000", " 138 0013 8000 ", "138-0013-8000"])
def test_sign_in_with_mobile_number_as_people_type_it(world, client, typed):
    user = world.users["supervisee"]
    user.phone = "13800138000"
    user.save(update_fields=["phone"])
    response = sign_in(client, typed)
    assert response.status_code == 302
    assert _signed_in_as(client) == str(user.pk)


def test_wrong_password_gives_a_clear_message_and_no_session(world, english):
    response = sign_in(english, "caseworker", "not-the-password")
    assert response.status_code == 200
    assert MISMATCH in response.content.decode()
    assert not _signed_in_as(english)


def test_unknown_user_gets_the_same_message_as_a_wrong_password(world, english):
    unknown = sign_in(english, "nobody-here", "whatever-password").content.decode()
    assert MISMATCH in unknown
    # The answer does not tell whether the name exists.
    wrong = sign_in(english, "caseworker", "whatever-password").content.decode()
    assert MISMATCH in wrong


def test_empty_form_asks_for_both_fields(world, english):
    response = english.post("/accounts/login/", {})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("This field is required.") == 2
    assert not _signed_in_as(english)


@pytest.mark.parametrize("data", [
    {"login": "caseworker\x00", "password": "x"},  # null byte
    {"login": "a" * 5000, "password": "b" * 5000},  # absurdly long
    {"login": ["caseworker", "admin"], "password": ["x", "y"]},  # repeated fields
    {"password": f.PASSWORD},  # no login field at all
    {"login": "caseworker"},  # no password
    {"login": "+", "password": "x"},  # a "phone number" of nothing
])
def test_malformed_login_posts_are_refused_without_a_500(world, client, data):
    response = client.post("/accounts/login/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _signed_in_as(client)


def test_garbage_body_is_refused_without_a_500(world, client):
    response = client.post("/accounts/login/", data=b"\xff\xfe%%%&&==login",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not _signed_in_as(client)
    broken = client.post("/accounts/login/", data=b"--x\r\nnonsense",
                         content_type="multipart/form-data; boundary=x")
    assert broken.status_code == 200
    assert not _signed_in_as(client)


def test_login_without_csrf_token_is_refused(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "caseworker", "password": f.PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_inactive_account_cannot_sign_in(world, client):
    user = world.users["caseworker"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = sign_in(client, "caseworker")
    assert not _signed_in_as(client)
    assert response["Location"] == "/accounts/inactive/"
    assert client.get("/accounts/inactive/").status_code == 200


def test_failed_sign_ins_change_nothing_on_the_account(world, client):
    user = world.users["caseworker"]
    before = User.objects.values("password", "last_login", "is_active").get(pk=user.pk)
    for _ in range(3):
        sign_in(client, "caseworker", "wrong-wrong-wrong")
    assert User.objects.values("password", "last_login", "is_active").get(pk=user.pk) == before


def test_repeated_wrong_passwords_end_in_429(world, english):
    first = sign_in(english, "caseworker", "guess-0")
    assert first.status_code == 200
    assert MISMATCH in first.content.decode()
    statuses = [first.status_code]
    too_many_seen = False
    for attempt in range(1, 40):
        response = sign_in(english, "caseworker", f"guess-{attempt}")
        statuses.append(response.status_code)
        assert response.status_code < 500
        if response.status_code == 200 and "Too many failed sign-in attempts" in \
                response.content.decode():
            too_many_seen = True
        if response.status_code == 429:
            break
    # Five misses per account in five minutes, then the account is locked for a while
    # (with a message); thirty sign-in posts a minute from one address, then 429.
    assert too_many_seen
    assert statuses[-1] == 429, statuses
    assert len(statuses) == 31
    assert "Too many attempts" in response.content.decode()
    # While locked, even the right password does not get in.
    assert not _signed_in_as(english)


def test_lockout_holds_for_the_right_password_too(world, english):
    for attempt in range(5):
        sign_in(english, "caseworker", f"guess-{attempt}")
    response = sign_in(english, "caseworker")
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not _signed_in_as(english)
    # Another account from the same address is not locked by these.
    assert sign_in(english, "unitadmin").status_code == 302


def test_adapter_keeps_sign_up_closed():
    assert AccountAdapter().is_open_for_signup(request=None) is False


def test_signup_page_explains_and_creates_no_account(db, english):
    page = english.get("/accounts/signup/")
    assert page.status_code == 200
    assert "Accounts are not opened here" in page.content.decode()
    count = User.objects.count()
    response = english.post("/accounts/signup/", {
        "username": "intruder", "password1": "Very-long-pass-123", "password2":
        "Very-long-pass-123", "email": "intruder@example.com",
    })
    assert response.status_code == 200
    assert "Accounts are not opened here" in response.content.decode()
    assert User.objects.count() == count
    assert not User.objects.filter(username="intruder").exists()
    assert "_auth_user_id" not in english.session


def test_password_reset_does_not_reveal_whether_an_account_exists(world, client):
    user = world.users["caseworker"]
    user.email = "zhang@example.cn"
    user.save(update_fields=["email"])
    known = client.post("/accounts/password/reset/", {"email": "zhang@example.cn"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.cn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    done = client.get(known["Location"])
    assert done.status_code == 200
    # The account holder gets a reset link; the stranger's address gets none.
    reset_mails = [m for m in mail.outbox if "/accounts/password/reset/key/" in m.body]
    assert [m.to for m in reset_mails] == [["zhang@example.cn"]]


def test_password_reset_link_sets_a_new_password(world, client):
    import re

    user = world.users["caseworker"]
    user.email = "zhang@example.cn"
    user.save(update_fields=["email"])
    client.post("/accounts/password/reset/", {"email": "zhang@example.cn"})
    url = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_page = client.get(url.group(1), follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else url.group(1)
    response = client.post(action, {"password1": "new-Secret-2025!", "password2":
                                    "new-Secret-2025!"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-Secret-2025!")


def test_sign_out_asks_then_signs_out(world, login):
    client = login(world.users["supervisee"])
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()
    assert "_auth_user_id" in client.session
    assert "Clear-Site-Data" not in page
    done = client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    # A shared phone keeps no offline copy of the person's check-in code.
    assert done["Clear-Site-Data"] == '"cache", "storage"'


def test_password_change(world, login, english):
    user = world.users["supervisee"]
    login(user)
    page = english.get("/accounts/password/change/")
    assert page.status_code == 200
    assert "Change password" in page.content.decode()
    wrong = english.post("/accounts/password/change/", {
        "oldpassword": "not-it", "password1": "Brand-new-pass-42", "password2":
        "Brand-new-pass-42"})
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.check_password(f.PASSWORD)
    weak = english.post("/accounts/password/change/", {
        "oldpassword": f.PASSWORD, "password1": "12345", "password2": "12345"})
    assert weak.status_code == 200
    user.refresh_from_db()
    assert user.check_password(f.PASSWORD)
    ok = english.post("/accounts/password/change/", {
        "oldpassword": f.PASSWORD, "password1": "Brand-new-pass-42", "password2":
        "Brand-new-pass-42"})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-new-pass-42")


def test_next_is_kept_through_sign_in_but_not_to_other_sites(world, client):
    response = client.post("/accounts/login/?next=/people/", {
        "login": "caseworker", "password": f.PASSWORD, "next": "/people/"})
    assert response["Location"] == "/people/"
    client.logout()
    response = client.post("/accounts/login/", {
        "login": "caseworker", "password": f.PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/"

"""The forms' CSRF token (portal/ops/csrf.py): Django's middleware takes it as its own,
each page gets a fresh mask, a page without a secret yet gets one from Django, and a
token that does not match is refused as ever."""

import re
from collections import Counter

from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client, RequestFactory

from portal.ops import csrf

SECRET = "abcdefghijklmnopqrstuvwxyzABCDE9"


def test_the_token_unmasks_to_the_secret_with_a_new_mask_each_time():
    tokens = {csrf.masked(SECRET) for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET


def test_the_mask_covers_the_whole_alphabet_evenly():
    seen = Counter("".join(csrf.masked(SECRET)[:32] for _ in range(2000)))
    assert set(seen) == set(CSRF_ALLOWED_CHARS)
    expected = 2000 * 32 / len(CSRF_ALLOWED_CHARS)  # about 1,032 each
    assert all(0.8 * expected < n < 1.2 * expected for n in seen.values())


def test_a_request_without_a_secret_gets_one_from_django():
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]


def test_a_pages_sign_out_form_passes_the_csrf_check_and_a_wrong_token_does_not(world):
    assert "portal.ops.csrf.csrf" in settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    user = world.users["caseworker"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user, backend="portal.accounts.backends.UsernameOrPhoneBackend")
    browser.cookies[settings.CSRF_COOKIE_NAME] = SECRET
    page = browser.get("/dashboard/")
    assert page.status_code == 200
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"',
                        page.content.decode())
    assert tokens and all(_unmask_cipher_token(t) == SECRET for t in tokens)
    # The cookie is sent again, its expiry renewed, as Django does when a page uses it.
    assert page.cookies[settings.CSRF_COOKIE_NAME].value == SECRET

    wrong = tokens[0][:32] + ("A" if tokens[0][32] != "A" else "B") + tokens[0][33:]
    refused = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": wrong})
    assert refused.status_code == 403
    assert browser.get("/dashboard/").status_code == 200  # still signed in
    signed_out = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[0]})
    assert signed_out.status_code == 302
    assert browser.get("/dashboard/").status_code == 302  # to the sign-in page

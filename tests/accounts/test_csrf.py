"""The forms' CSRF token: a page's sign-out form passes Django's CSRF check, and a
token that does not match is refused."""

import re

from django.test import Client


def test_a_pages_sign_out_form_passes_the_csrf_check_and_a_wrong_token_does_not(world):
    user = world.users["caseworker"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user, backend="portal.accounts.backends.UsernameOrPhoneBackend")
    page = browser.get("/dashboard/")
    assert page.status_code == 200
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"',
                        page.content.decode())
    assert tokens

    wrong = tokens[0][:32] + ("A" if tokens[0][32] != "A" else "B") + tokens[0][33:]
    refused = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": wrong})
    assert refused.status_code == 403
    assert browser.get("/dashboard/").status_code == 200  # still signed in
    signed_out = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[0]})
    assert signed_out.status_code == 302
    assert browser.get("/dashboard/").status_code == 302  # to the sign-in page

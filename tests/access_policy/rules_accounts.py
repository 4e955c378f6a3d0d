"""Access policy for accounts: allauth's sign-in, password and two-factor pages under
/accounts/, the one-time invitation link, the Wagtail admin's login redirect, and the
staff page (/staff/, unit administrators and superusers).

allauth's pages behave differently for signed-in and anonymous people (the login page
sends a signed-in person on to the dashboard, the password pages send an anonymous one
to the login page), so each argument-free allauth URL gets its own rule; the two
allauth URLs that take arguments (an emailed key) are decided by a PrefixRule of their
full name. Two-factor is not enforced in test settings (XY_REQUIRE_STAFF_MFA False):
tests/accounts/test_mfa.py covers the enforced case. No World user has an authenticator,
so the pages that need one answer 404, and adding one asks for the password again first.
"""

from tests.access_policy.spec import (
    BAD_REQUEST,
    FORBIDDEN,
    LOGGED_IN,
    NOT_FOUND,
    OK,
    PUBLIC,
    REDIRECT,
    REDIRECT_LOGIN,
    PrefixRule,
    Rule,
    expect,
)

SIGNED_IN_MOVED_ON = expect(REDIRECT, anonymous=OK)  # login, signup: on to the dashboard
NEEDS_LOGIN_THEN_REDIRECT = expect(REDIRECT, anonymous=REDIRECT_LOGIN)
NEEDS_AN_AUTHENTICATOR = expect(NOT_FOUND, anonymous=REDIRECT_LOGIN)
STAFF_MANAGERS = expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, unit_admin=OK, superuser=OK)


def _pending_staff(world):
    """A caseworker account that has not chosen a password yet (a new link may be made)."""
    from tests import factories as f

    user = f.caseworker_create(world.squad2)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return {"user_id": user.pk}


def _fresh_invitation(world):
    from portal.accounts.services import invitation_create, user_create
    from tests import factories as f

    user = user_create(username=f"invited-{f.UserFactory._meta.model.objects.count()}",
                       display_name="新同事")
    _, raw = invitation_create(user=user, created_by=world.users["unit_admin"])
    return {"token": raw}


RULES = [
    # --- allauth: sign-in and sign-out ------------------------------------------------
    Rule("account_login", SIGNED_IN_MOVED_ON),
    Rule("account_login", SIGNED_IN_MOVED_ON, label="wrong password", method="POST",
         data={"login": "caseworker", "password": "wrong-password"}),
    Rule("account_logout", expect(OK, anonymous=REDIRECT)),
    Rule("account_logout", expect(REDIRECT), method="POST"),
    Rule("account_inactive", PUBLIC),
    # No open sign-up: the page explains; a POST creates nothing (tests/accounts).
    Rule("account_signup", SIGNED_IN_MOVED_ON),
    Rule("account_signup", SIGNED_IN_MOVED_ON, method="POST",
         data={"username": "intruder", "password1": "Long-enough-pass-1",
               "password2": "Long-enough-pass-1"}),
    Rule("account_reauthenticate", LOGGED_IN),
    Rule("account_confirm_login_code", expect(REDIRECT, anonymous=REDIRECT_LOGIN)),

    # --- allauth: email and password ------------------------------------------------
    Rule("account_email", LOGGED_IN),
    Rule("account_email_verification_sent", PUBLIC),
    Rule("account_change_password", LOGGED_IN),
    Rule("account_set_password", NEEDS_LOGIN_THEN_REDIRECT),  # everyone has a password
    # Password reset by email: open to all, answers the same whether or not an account
    # has the address (tests/accounts/test_login.py).
    Rule("account_reset_password", PUBLIC),
    Rule("account_reset_password", expect(REDIRECT), label="unknown address", method="POST",
         data={"email": "nobody@example.invalid"}),
    Rule("account_reset_password_done", PUBLIC),
    PrefixRule("account_reset_password_from_key", PUBLIC,
               reason="the emailed reset key (argument) and its done page, open to all"),
    PrefixRule("account_confirm_email", PUBLIC,
               reason="the emailed confirmation key (argument); email verification is off"),

    # --- allauth.mfa: two-factor ------------------------------------------------------
    Rule("mfa_index", LOGGED_IN),
    Rule("mfa_authenticate", expect(REDIRECT, anonymous=REDIRECT_LOGIN)),  # no login pending
    Rule("mfa_reauthenticate", NEEDS_LOGIN_THEN_REDIRECT),
    Rule("mfa_activate_totp", NEEDS_LOGIN_THEN_REDIRECT),  # password first
    Rule("mfa_deactivate_totp", NEEDS_AN_AUTHENTICATOR),
    Rule("mfa_view_recovery_codes", NEEDS_AN_AUTHENTICATOR),
    Rule("mfa_generate_recovery_codes", NEEDS_LOGIN_THEN_REDIRECT),
    Rule("mfa_download_recovery_codes", NEEDS_AN_AUTHENTICATOR),

    # --- the Wagtail admin's login goes to the portal's ------------------------------
    Rule("admin_login_redirect", expect(REDIRECT_LOGIN)),

    # --- one-time invitation links ----------------------------------------------------
    # Whoever holds a valid link may use it; anything else is the same 404 for everyone.
    Rule("invitation_accept", PUBLIC, label="valid link", args=_fresh_invitation),
    Rule("invitation_accept", PUBLIC, label="valid link, weak password", method="POST",
         args=_fresh_invitation, data={"password1": "123", "password2": "123"}),
    Rule("invitation_accept", expect(NOT_FOUND), label="tampered link",
         args=lambda w: {"token": "not-a-real-token"}),
    Rule("invitation_accept", expect(NOT_FOUND), label="tampered link", method="POST",
         args=lambda w: {"token": "not-a-real-token"},
         data={"password1": "Sunflower-river-2025", "password2": "Sunflower-river-2025"}),

    # --- the staff page ---------------------------------------------------------------
    Rule("staff:list", STAFF_MANAGERS),
    Rule("staff:list", STAFF_MANAGERS, label="search", query="q=%E5%BC%A0"),
    Rule("staff:invite", STAFF_MANAGERS),
    Rule("staff:invite", STAFF_MANAGERS, label="empty form", method="POST"),
    Rule("staff:new_link", expect(BAD_REQUEST, anonymous=REDIRECT_LOGIN), label="GET",
         args=lambda w: {"user_id": w.users["caseworker"].pk}),
    Rule("staff:new_link",
         expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, unit_admin=REDIRECT, superuser=REDIRECT),
         label="account without a password yet", method="POST", args=_pending_staff),
    # Has a password already: refused with a message (a redirect back to the list).
    Rule("staff:new_link",
         expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, unit_admin=REDIRECT, superuser=REDIRECT),
         label="account with a password", method="POST",
         args=lambda w: {"user_id": w.users["caseworker"].pk}),
    # Not staff anyone looks after here: 404, as for an id that does not exist.
    Rule("staff:new_link",
         expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, unit_admin=NOT_FOUND,
                superuser=NOT_FOUND),
         label="a supervisee's account", method="POST",
         args=lambda w: {"user_id": w.supervisee.user.pk}),
]

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    # One message whether the account is unknown or the password wrong, so the login
    # page does not tell an outsider which usernames and mobile numbers exist.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _(
            "The username or mobile number and the password do not match. Check both and "
            "try again."
        ),
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. Wait a few minutes before you try again."
        ),
    }

    def is_open_for_signup(self, request):
        # No open registration: staff create accounts and send a one-time link.
        return False

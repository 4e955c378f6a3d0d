from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth
from wagtail.models import APIToken


def token_user(raw: str):
    """The active user behind a bearer token, or None. Wagtail's APIToken stores only
    an HMAC of the token and knows revocation."""
    if not raw or not APIToken.validate_token_format(raw):
        return None, None
    row = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(raw), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None, None
    return row.user, row


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user, row = token_user(token)
        if user is None:
            return None
        APIToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = user
        request.api_token = row
        return user


class Session(SessionAuth):
    """The browser session (CSRF-checked on unsafe methods)."""


AUTH = [BearerToken(), Session()]

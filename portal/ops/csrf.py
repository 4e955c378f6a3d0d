"""The CSRF token of a page's forms, as Django's csrf context processor gives it, masked
with one call to the operating system's random source.

Every signed-in page has a form (sign out, at least), so every page asks for the token.
Django masks the secret with a fresh random string for each page (against BREACH) drawn
one character at a time (`get_random_string`, a `secrets.choice` per character): about
500 Python calls a page. Here the mask is drawn from one `secrets.token_bytes` call, by
rejection so each character stays uniform over the allowed alphabet, and the cipher is the
same sum as Django's `_mask_cipher_secret`: Django's middleware unmasks and checks it as
its own. Where the request has no valid secret yet, Django's own get_token makes one.

The processor is listed after Django's built-in one (which RequestContext always runs
first), so `csrf_token` in templates is this one's; Django's stays lazy and unused."""

from __future__ import annotations

import secrets

from django.middleware import csrf as django_csrf
from django.utils.functional import SimpleLazyObject

CHARS = django_csrf.CSRF_ALLOWED_CHARS
LENGTH = django_csrf.CSRF_SECRET_LENGTH
_INDEX = {c: i for i, c in enumerate(CHARS)}
_N = len(CHARS)
_ACCEPT = 256 - 256 % _N  # bytes below this map to the alphabet without bias


def _mask() -> list[int]:
    """LENGTH uniformly random positions in CHARS."""
    while True:
        picked = [b % _N for b in secrets.token_bytes(LENGTH + LENGTH // 2) if b < _ACCEPT]
        if len(picked) >= LENGTH:
            return picked[:LENGTH]


def masked(secret: str) -> str:
    """A token for `secret`, as django.middleware.csrf._mask_cipher_secret makes it: the
    mask, then each secret character shifted by the mask's."""
    mask = _mask()
    index = _INDEX
    return ("".join([CHARS[m] for m in mask])
            + "".join([CHARS[(index[s] + m) % _N] for s, m in zip(secret, mask, strict=True)]))


def get_token(request) -> str:
    """django.middleware.csrf.get_token(request), cheaper."""
    secret = request.META.get("CSRF_COOKIE")
    # (CHARS are the ASCII letters and digits.)
    if not isinstance(secret, str) or len(secret) != LENGTH or not (
            secret.isascii() and secret.isalnum()):
        return django_csrf.get_token(request)
    # As Django does: the cookie is used, so it is sent again (its expiry renewed).
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(secret)


def csrf(request):
    """The context processor: `csrf_token`, worked out when a template first uses it."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}

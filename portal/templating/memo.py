"""Template output kept per process, by everything it is rendered from.

A part of a page that is rendered from a few plain values (a course's list of classes:
the dates, places left, whether this person is signed up) gives the same HTML every time
those values are the same. `render_kept` renders such a part from a context of plain
values only (str, numbers, dates, Decimals, bools, None, and tuples, lists and dicts of
them; no model instances, no request) and keeps the output under a digest of the
template's name, the active language and time zone, and the whole context. Nothing can
go stale: different values are a different key. Editing a template means a new process.

Forms in such a part carry `{% csrf_token %}`: it is rendered with a stand-in that is
replaced by the request's own token afterwards, as Django's tag would give it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

CSRF_STAND_IN = "xy-csrf-" + secrets.token_hex(12)
KEPT_MAX = 2000
_kept: dict[bytes, str] = {}


def render_kept(template_name: str, context: dict, request=None) -> SafeString:
    raw = repr((template_name, translation.get_language(),
                timezone.get_current_timezone_name(), sorted(context.items())))
    key = hashlib.blake2b(raw.encode(), digest_size=16).digest()
    html = _kept.get(key)
    if html is None:
        html = render_to_string(template_name, {**context, "csrf_token": CSRF_STAND_IN})
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        _kept[key] = html
    if CSRF_STAND_IN in html:
        html = html.replace(CSRF_STAND_IN, get_token(request) if request is not None else "")
    return mark_safe(html)  # noqa: S308 - our own template's output

"""A template rendered once per language with markers where its values go, then filled
per request with one str.format_map.

A page's content block is mostly fixed text: headings, labels and table heads, each a
{% translate %} tag, and a few dozen figures. Rendering it costs thousands of Python calls
a request (every tag, variable and filter a node to render), though only the figures
change. `framed(template, values)` renders the template (with no request: nothing in it
may depend on the person) once per language, URL configuration and variant, with a marker
in place of each value, keeps the text with the markers turned into format fields, and
fills them in on every call. The template stays the one source of the markup; each value
is escaped as the template's {{ value }} would escape it (SafeString as it is, other text
escaped, an int written plainly).

What the template does with a value must be to print it, once or more: a value used in a
condition, a filter or a loop cannot be a marker (make it a variant, or give the template
the finished text), and a frame whose markers did not all come out is refused."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeData, SafeString, mark_safe

_KEPT: dict = {}
_KEPT_MAX = 200
_OPEN, _CLOSE = "\x02", "\x03"
_MARKER = re.compile(f"{_OPEN}([A-Za-z_][A-Za-z0-9_]*){_CLOSE}")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "'": "&#x27;"})


def _text(value) -> str:
    """{{ value }} in an autoescaping template, for the values a frame takes."""
    if isinstance(value, SafeData):
        return str(value)
    if type(value) is int:
        return str(value)
    if isinstance(value, bool) or value is None:
        return str(value).translate(_ESCAPES)
    from django.utils.formats import localize
    from django.utils.timezone import template_localtime

    return str(localize(template_localtime(value))).translate(_ESCAPES)


def _frame(template_name: str, names: tuple, variant: tuple) -> str:
    from django.urls import get_script_prefix, get_urlconf
    from django.utils.translation import get_language

    key = (template_name, names, variant, get_language(), get_urlconf(), get_script_prefix())
    frame = _KEPT.get(key)
    if frame is None:
        context = {name: mark_safe(f"{_OPEN}{name}{_CLOSE}") for name in names}
        text = render_to_string(template_name, {**dict(variant), **context})
        found = set(_MARKER.findall(text))
        if found != set(names) or _OPEN in _MARKER.sub("", text):
            raise ValueError(f"{template_name}: the values {sorted(set(names) - found)} were "
                             "not printed as given (a condition, filter or loop uses them)")
        frame = _MARKER.sub(r"{\1}", text.replace("{", "{{").replace("}", "}}"))
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        _KEPT[key] = frame
    return frame


def framed(template_name: str, values: dict, variant: dict | None = None) -> SafeString:
    """`template_name` rendered with `values` (printed as they are) and `variant` (values
    the template may test or loop over: a frame is kept for each variant)."""
    frame = _frame(template_name, tuple(sorted(values)),
                   tuple(sorted((variant or {}).items())))
    return mark_safe(frame.format_map({name: _text(v) for name, v in values.items()}))  # noqa: S308 - escaped as the template would

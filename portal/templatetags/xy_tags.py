"""`short_number`: Django's `floatformat:"-N"` for the figures the portal shows most (hours
in tables of fifty rows), with the same output, at a fraction of the cost.

`{{ x|short_number }}` is `{{ x|floatformat:"-1" }}`: a whole number without decimals
("12"), anything else rounded half up to one place ("12.3", and "12.0" for 12.04);
`{{ x|short_number:2 }}` is `floatformat:"-2"`. The decimal separator is the active
language's. Values floatformat would read differently (strings, other types) go to
floatformat itself."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.safestring import mark_safe

register = template.Library()

_STEPS = {places: Decimal(1).scaleb(-places) for places in range(1, 5)}


@register.filter(is_safe=True)
def short_number(value, places=1):
    try:
        places = int(places)
        step = _STEPS[places]
    except (KeyError, TypeError, ValueError):
        return floatformat(value, f"-{places}")
    text = _decimal_text(value, step, None)
    return floatformat(value, f"-{places}") if text is None else mark_safe(text)


def number_text(places: int = 1):
    """`short_number(·, places)` as plain text, with the active language's decimal
    separator read once: for rows built in Python (a table of fifty rows of hours)."""
    step, separator = _STEPS[places], get_format("DECIMAL_SEPARATOR")

    def text(value) -> str:
        found = _decimal_text(value, step, separator)
        return str(floatformat(value, f"-{places}")) if found is None else found

    return text


def _decimal_text(value, step, separator) -> str | None:
    """short_number's text of an int, float or Decimal (None for what floatformat must
    read); `separator` None: the active language's, read only when a fraction shows."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        return None
    try:
        if not number.is_finite():
            return None
        if number == number.to_integral_value():
            return str(int(number))
        rounded = number.quantize(step, ROUND_HALF_UP)
        text = format(rounded.copy_abs() if not rounded else rounded, "f")  # no "-0.0"
    except InvalidOperation:
        return None
    if separator is None:
        separator = get_format("DECIMAL_SEPARATOR")
    return text if separator == "." else text.replace(".", separator)


# --- pk_url -------------------------------------------------------------------------------

_SENTINEL = 7_346_921_085_113  # an id no table reaches, found once in the reversed path
_URL_SHAPES: dict = {}


def _shape(viewname: str) -> tuple[str, str] | None:
    """(before, after) the id in viewname's path, for the URLconf, script prefix and
    language in force; None when the path does not take one integer argument."""
    from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
    from django.utils.translation import get_language

    key = (viewname, get_urlconf(), get_script_prefix(), get_language())
    shape = _URL_SHAPES.get(key, False)
    if shape is False:
        try:
            path = reverse(viewname, args=[_SENTINEL])
        except NoReverseMatch:
            path = ""
        parts = path.split(str(_SENTINEL))
        shape = (parts[0], parts[1]) if len(parts) == 2 else None
        if len(_URL_SHAPES) > 1000:
            _URL_SHAPES.clear()
        _URL_SHAPES[key] = shape
    return shape


def pk_path(viewname, pk) -> str:
    """reverse(viewname, args=[pk]) for a path with one integer argument, from the path's
    shape reversed once (as pk_url, unescaped: for JSON and redirects)."""
    from django.urls import reverse

    shape = (_shape(viewname) if isinstance(pk, int) and not isinstance(pk, bool) and pk >= 0
             else None)
    if shape is None:
        return reverse(viewname, args=[pk])
    return shape[0] + str(pk) + shape[1]


@register.simple_tag
def pk_url(viewname, pk):
    """`{% pk_url "casework:person" p.pk %}` is `{% url "casework:person" p.pk %}` for a
    path with one integer argument, without resolving the path again for every row: the
    path is reversed once with a stand-in id and the row's id put in its place."""
    from django.urls import reverse
    from django.utils.html import conditional_escape

    shape = (_shape(viewname) if isinstance(pk, int) and not isinstance(pk, bool) and pk >= 0
             else None)
    if shape is None:
        return conditional_escape(reverse(viewname, args=[pk]))
    return mark_safe(conditional_escape(shape[0]) + str(pk) + conditional_escape(shape[1]))


def pk_link(viewname):
    """A function of an id giving pk_url(viewname, id) as plain text, the path's shape
    looked up once: for rows built in Python."""
    from html import escape

    shape = _shape(viewname)
    if shape is None:
        return lambda pk: escape(pk_path(viewname, pk))
    before, after = escape(shape[0]), escape(shape[1])
    return lambda pk: f"{before}{pk}{after}"


# --- page_url ------------------------------------------------------------------------------

@register.simple_tag(takes_context=True)
def page_url(context, page):
    """Wagtail's `{% pageurl page %}`: the page's URL, relative where the request's site
    serves it (Wagtail keeps the sites' root paths in its cache)."""
    from wagtail.models import Page

    if not isinstance(page, Page):
        raise ValueError(f"page_url expected a Page object, got {page!r}")
    return page_link(page, context.get("request"))


def page_link(page, request) -> str | None:
    """`page.get_url(request)`, for rows built in Python."""
    return page.get_url(request)


def choice_labels(model, field_name: str) -> dict:
    """{value: label} of a field's choices in the active language, for rows built in
    Python: `labels.get(row.x, row.x)` is `row.get_x_display()` without Django rebuilding
    (and hashing) the whole choices list for every row."""
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}


# --- the page's chrome -----------------------------------------------------------------
#
# The menu and the footer are on every page; through the template they cost about a
# fifth of rendering a short page. Both are worked out once per language (and set of
# menu entries) and kept; per request only what differs is put in: which entry is the
# current page, and the path the language form returns to. Their markup is exactly the
# template's (tests/test_chrome.py).

_NAV: dict = {}
_FOOTER: dict = {}
_NEXT = "\x00xy-next\x00"  # a stand-in no path contains (escape() leaves it as it is)


@register.simple_tag
def nav_links(items, current):
    """The menu's entries: `{% for label, url in nav_items %}<li><a href="{{ url }}"{% if
    request.path == url %} aria-current="page"{% endif %}>{{ label }}</a></li>{% endfor %}`.
    An entry's label is fixed by its URL (portal.context_processors.navigation), so the
    entries are kept per language and set of URLs."""
    from django.utils.html import escape
    from django.utils.translation import get_language

    urls = tuple(url for _label, url in items)
    key = (get_language(), urls)
    entries = _NAV.get(key)
    if entries is None:
        entries = [(url, f'<li><a href="{escape(url)}"', f">{escape(label)}</a></li>")
                   for label, url in items]
        if len(_NAV) > 200:
            _NAV.clear()
        _NAV[key] = entries
    return mark_safe("".join(  # noqa: S308 - escaped above
        head + (' aria-current="page"' if url == current else "") + tail
        for url, head, tail in entries))


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer (includes/footer.html): rendered once per language, URL configuration
    and script prefix, with the current path put into its language form."""
    from django.template.loader import render_to_string
    from django.urls import get_script_prefix, get_urlconf
    from django.utils.html import escape
    from django.utils.translation import get_language

    request = context.get("request")
    language = get_language()
    key = (language, get_urlconf(), get_script_prefix())
    parts = _FOOTER.get(key)
    if parts is None:
        html = render_to_string("includes/footer.html",
                                {"next": _NEXT, "LANGUAGE_CODE": language})
        parts = _FOOTER[key] = html.split(_NEXT)
    if len(parts) != 2:  # the stand-in did not come through once: render as it is
        return render_to_string("includes/footer.html", {
            "next": request.get_full_path() if request else "", "LANGUAGE_CODE": language})
    next_path = request.get_full_path() if request is not None else ""
    return mark_safe(parts[0] + escape(next_path) + parts[1])  # noqa: S308


_FIXED: dict = {}


@register.simple_tag
def fixed_url(viewname):
    """`{% url "name" %}` for a path that takes no arguments, reversed once per URL
    configuration, script prefix and language rather than on every page."""
    from django.urls import get_script_prefix, get_urlconf, reverse
    from django.utils.html import conditional_escape
    from django.utils.translation import get_language

    key = (viewname, get_urlconf(), get_script_prefix(), get_language())
    url = _FIXED.get(key)
    if url is None:
        if len(_FIXED) > 1000:
            _FIXED.clear()
        url = _FIXED[key] = conditional_escape(reverse(viewname))
    return url

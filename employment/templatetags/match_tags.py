"""A person's matches built in Python (employment/matches.html): twenty items a page,
each with its opening's line and its reasons, which as template includes (two per item,
a node per value) were most of the page's Python. Every value is escaped once as plain
text (html.escape, which is what Django's escape() does to a string), numbers written as
the template wrote them; the markup is the loop's, both languages
(tests/employment/test_match_items.py holds the two equal)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from employment.models import Shift
from portal.templatetags.xy_tags import pk_link

register = template.Library()

_SIGNS = {"+": ("plus", "In favour:"), "-": ("minus", "Against:"), "x": ("excluded", "Excluded:")}


def _signs() -> tuple[dict, tuple]:
    """Each sign's class and hidden label in the active language, and the note's."""
    return ({sign: (css, escape(gettext(label))) for sign, (css, label) in _SIGNS.items()},
            ("note", escape(gettext("Note:"))))


def reasons_html(reasons, signs=None, memo=None) -> str:
    """employment/includes/reasons.html for the person (the default audience); `signs`:
    _signs(), when the caller has it; `memo`: a dict keeping each reason's item for
    the rest of the list (in the same language), whose openings share most of their
    reasons ("No particular skills needed.", "In your county (…)")."""
    signs, note = signs or _signs()
    if memo is None:
        memo = {}
    items = []
    for reason in reasons:
        item = memo.get(reason)
        if item is None:
            css, label = signs.get(reason.sign, note)
            item = memo[reason] = (
                f'<li class="emp-reason emp-{css}"><span class="visually-hidden">{label} '
                f"</span>{escape(reason.text)}</li>")
        items.append(item)
    return '<ul class="emp-reasons">' + "".join(items) + "</ul>\n"


def _meta(o, shifts, week, between, from_, up_to, names=None) -> str:
    """employment/includes/opening_meta.html. `names`: a dict keeping the escaped
    organisations and districts for the rest of the list (openings share them)."""
    if names is None:
        names = {}
    pay = ""
    if o.pay_min or o.pay_max:
        if o.pay_min and o.pay_max:
            pay = " · " + between % {"low": o.pay_min, "high": o.pay_max}
        elif o.pay_min:
            pay = " · " + from_ % {"low": o.pay_min}
        else:
            pay = " · " + up_to % {"high": o.pay_max}
    shift = shifts.get(o.shift)
    if shift is None:
        shift = escape(str(Shift(o.shift).label))
    organisation = names.get(o.organisation)
    if organisation is None:
        organisation = names[o.organisation] = escape(o.organisation)
    district = names.get(o.district)
    if district is None:
        district = names[o.district] = escape(o.district)
    return (f'\n<p class="muted">{organisation} · {district} · {shift} · '
            f'{week % {"h": o.hours_per_week}}{pay}</p>\n')


_LABELS: dict = {}


def _labels() -> tuple:
    """The list's fixed words in the active language, worked out once per language (the
    catalogues do not change while the process runs): the kinds of opening, the shifts,
    the texts of hours and pay, and the signs of the reasons."""
    language = get_language()
    found = _LABELS.get(language)
    if found is None:
        kinds = {"job": escape(gettext("Job")), "training": escape(gettext("Training"))}
        shifts = {s.value: escape(str(s.label)) for s in Shift}
        # Translators' text is written as it is, the values escaped (as blocktranslate
        # does).
        texts = (gettext("%(h)s h a week"), gettext("%(low)s–%(high)s yuan a month"),
                 gettext("from %(low)s yuan a month"), gettext("up to %(high)s yuan a month"))
        found = _LABELS[language] = (kinds, shifts, texts, _signs())
    return found


@register.simple_tag
def match_items(page):
    """The items of the matches list (`page`: MatchRows), or the line saying there are
    none."""
    rows = list(page)
    if not rows:
        return mark_safe("\n  <li>" + escape(gettext(
            "No openings match right now. Your caseworker can help you find one.")) + "</li>\n")
    links = {"job": pk_link("employment:job"), "training": pk_link("employment:training_place")}
    kinds, shifts, texts, signs = _labels()
    memo: dict = {}
    names: dict = {}
    out = []
    for row in rows:
        o = row.opening
        mine = ""
        if row.application is not None:
            mine = f' <span class="tag emp-mine">{escape(str(row.application.status_label))}</span>'
        kind = kinds["job"] if o.kind == "job" else kinds["training"]
        link = links["job" if o.kind == "job" else "training"](o.id)
        out.append(
            f'\n  <li class="card emp-item">\n    <h3><a href="{link}">{escape(o.title)}</a> '
            f'<span class="tag">{kind}</span>{mine}</h3>\n    {_meta(o, shifts, *texts, names)}\n    '
            f"{reasons_html(row.assessment.reasons, signs, memo)}\n  </li>\n")
    return mark_safe("".join(out))

"""The today list's sections built in Python from its rows (portal/casework/today.py):
up to fifty rows in each of five sections, which as template loops (one node per cell)
were most of the page's time, and through format_html (an escape and a SafeString per
value) still half of it. Every value is escaped once as plain text (html.escape, which
is what Django's escape() does to a string); the markup is what the loops gave
(tests/casework/test_today_rows.py).

A section's figures and the names and days that repeat down it (a unit, who recorded
the hours, the day of service) take a handful of values: each is turned into text once per section (_Texts, a dict that
makes what it lacks) and looked up for every other row, and a name is escaped with one
str.translate rather than html.escape's five replacements: the sections cost half the
Python calls they did."""

import datetime
from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from portal.templatetags.xy_tags import choice_labels, number_text, pk_link

register = template.Library()


# html.escape(text, quote=True), as one translation.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "'": "&#x27;"})


class _Texts(dict):
    """{value: make(value)}, each made the first time it is asked for."""

    __slots__ = ("make",)

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, value):
        text = self[value] = self.make(value)
        return text


def _day(value) -> str:
    """A date (or a moment's local date) as Y-m-d."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


@register.simple_tag
def behind_rows(people):
    from portal.people.models import Supervisee

    labels = {value: escape(label) for value, label in choice_labels(Supervisee,
                                                                     "level").items()}
    # Each level as its class and label: ' <span class="tag lenient">宽管</span>'.
    levels = _Texts(lambda level: f' <span class="tag {escape(level)}">'
                                  f'{labels.get(level) or escape(level)}</span>')
    link, number, names = pk_link("casework:person"), _Texts(number_text()), _Texts(escape)
    return mark_safe("".join(
        f'<tr><td><a href="{link(p.pk)}">{p.legal_name.translate(_ESCAPES)}</a>'
        f'{levels[p.level]}</td>'
        f"<td>{number[p.study_month]} / {number[p.study_expected]}</td>"
        f"<td>{number[p.service_month]} / {number[p.service_expected]}</td>"
        f"<td>{names[p.unit_name]}</td></tr>"
        for p in people))


@register.simple_tag
def unconfirmed_rows(entries):
    from volunteering.models import HoursEntry

    labels = {value: escape(label) for value, label in choice_labels(HoursEntry,
                                                                     "kind").items()}
    link, number, names = pk_link("casework:person"), _Texts(number_text(2)), _Texts(escape)
    kinds, days = _Texts(lambda kind: labels.get(kind) or escape(kind)), _Texts(_day)
    return mark_safe("".join(
        f'<tr><td><a href="{link(e.supervisee_id)}">{e.legal_name.translate(_ESCAPES)}</a>'
        f"</td><td>{number[e.hours]} · {kinds[e.kind]}</td>"
        f"<td>{days[e.service_date]}</td><td>{names[e.recorder_name]}</td></tr>"
        for e in entries))


@register.simple_tag
def overdue_items(referrals):
    waiting = gettext("waiting for the provider since %(date)s")
    link = pk_link("casework:person")
    return mark_safe("".join(
        f'<li><a href="{link(r.supervisee_id)}">{escape(r.legal_name)}</a> · '
        f'{escape(r.service)} · <span class="muted">'
        f'{escape(waiting % {"date": _day(r.consent_at)})}</span></li>'
        for r in referrals))


@register.simple_tag
def review_items(plans):
    due = gettext("review was due %(date)s")
    link = pk_link("casework:plan_edit")
    return mark_safe("".join(
        f'<li><a href="{link(plan.supervisee_id)}">{escape(plan.legal_name)}</a> · '
        f'<span class="muted">{escape(due % {"date": _day(plan.review_on)})}</span></li>'
        for plan in plans))


@register.simple_tag
def releasing_rows(people):
    label = escape(gettext("to issue"))
    to_issue = f'<span class="tag strict">{label}</span>'
    link, number = pk_link("casework:person"), number_text()

    def days(n):
        return escape(ngettext("%(days)s day", "%(days)s days", n) % {"days": n})

    return mark_safe("".join(
        f'<tr><td><a href="{link(p.pk)}">{escape(p.legal_name)}</a></td>'
        f'<td>{_day(p.term_end)} <span class="muted">({days(p.days_left_n)})</span></td>'
        f"<td>{number(p.volunteer_hours)}</td>"
        f"<td>{to_issue if p.certificate_to_issue else '—'}</td></tr>"
        for p in people))

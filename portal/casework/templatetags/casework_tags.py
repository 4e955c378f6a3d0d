"""The today list's sections built in Python from its rows (portal/casework/today.py):
up to fifty rows in each of five sections, which as template loops (one node per cell)
were most of the page's time, and through format_html (an escape and a SafeString per
value) still half of it. Every value is escaped once as plain text (html.escape, which
is what Django's escape() does to a string); the markup is what the loops gave
(tests/casework/test_today_rows.py)."""

import datetime
from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from portal.templatetags.xy_tags import choice_labels, number_text, pk_link

register = template.Library()


def _day(value) -> str:
    """A date (or a moment's local date) as Y-m-d."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


@register.simple_tag
def behind_rows(people):
    from portal.people.models import Supervisee

    levels = {value: escape(label) for value, label in choice_labels(Supervisee,
                                                                     "level").items()}
    link, number = pk_link("casework:person"), number_text()
    return mark_safe("".join(
        f'<tr><td><a href="{link(p.pk)}">{escape(p.legal_name)}</a> <span class="tag '
        f'{escape(p.level)}">{levels.get(p.level) or escape(p.level)}</span></td>'
        f"<td>{number(p.study_month)} / {number(p.study_expected)}</td>"
        f"<td>{number(p.service_month)} / {number(p.service_expected)}</td>"
        f"<td>{escape(p.unit_name)}</td></tr>"
        for p in people))


@register.simple_tag
def unconfirmed_rows(entries):
    from volunteering.models import HoursEntry

    kinds = {value: escape(label) for value, label in choice_labels(HoursEntry,
                                                                    "kind").items()}
    link, number = pk_link("casework:person"), number_text(2)
    return mark_safe("".join(
        f'<tr><td><a href="{link(e.supervisee_id)}">{escape(e.legal_name)}</a></td>'
        f"<td>{number(e.hours)} · {kinds.get(e.kind) or escape(e.kind)}</td>"
        f"<td>{_day(e.service_date)}</td><td>{escape(e.recorder_name)}</td></tr>"
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

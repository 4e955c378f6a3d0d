"""The today list's sections built in Python: up to fifty rows in each of five sections,
which as template loops (one node per cell) were most of the page's time. The markup is
what the loops gave (tests/casework/test_today_rows.py)."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext

from portal.templatetags.xy_tags import choice_labels, pk_url, short_number

register = template.Library()


def _day(value) -> str:
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value)
    return dateformat.format(value, "Y-m-d")


@register.simple_tag
def behind_rows(people):
    from portal.people.models import Supervisee

    levels = choice_labels(Supervisee, "level")
    return format_html_join("", (
        '<tr><td><a href="{}">{}</a> <span class="tag {}">{}</span></td>'
        '<td>{} / {}</td><td>{} / {}</td><td>{}</td></tr>'), (
        (pk_url("casework:person", p.pk), p.legal_name, p.level, levels.get(p.level, p.level),
         short_number(p.study_month), short_number(p.study_expected),
         short_number(p.service_month), short_number(p.service_expected), p.unit)
        for p in people))


@register.simple_tag
def unconfirmed_rows(entries):
    from volunteering.models import HoursEntry

    kinds = choice_labels(HoursEntry, "kind")
    return format_html_join("", (
        '<tr><td><a href="{}">{}</a></td><td>{} · {}</td><td>{}</td><td>{}</td></tr>'), (
        (pk_url("casework:person", e.supervisee_id), e.supervisee.legal_name,
         short_number(e.hours, 2), kinds.get(e.kind, e.kind), _day(e.service_date),
         e.recorder_name)
        for e in entries))


@register.simple_tag
def overdue_items(referrals):
    return format_html_join("", (
        '<li><a href="{}">{}</a> · {} · <span class="muted">{}</span></li>'), (
        (pk_url("casework:person", r.supervisee_id), r.supervisee.legal_name, r.service,
         gettext("waiting for the provider since %(date)s") % {"date": _day(r.consent_at)})
        for r in referrals))


@register.simple_tag
def review_items(plans):
    return format_html_join("", '<li><a href="{}">{}</a> · <span class="muted">{}</span></li>', (
        (pk_url("casework:plan_edit", plan.supervisee_id), plan.supervisee.legal_name,
         gettext("review was due %(date)s") % {"date": _day(plan.review_on)})
        for plan in plans))


@register.simple_tag
def releasing_rows(people):
    to_issue = format_html('<span class="tag strict">{}</span>', gettext("to issue"))
    return format_html_join("", (
        '<tr><td><a href="{}">{}</a></td><td>{} <span class="muted">({})</span></td>'
        '<td>{}</td><td>{}</td></tr>'), (
        (pk_url("casework:person", p.pk), p.legal_name, _day(p.term_end),
         ngettext("%(days)s day", "%(days)s days", p.days_left_n) % {"days": p.days_left_n},
         short_number(p.volunteer_hours), to_issue if p.certificate_to_issue else "—")
        for p in people))

"""The today list's sections built in Python from its rows (casework/today.py):
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


_LABELS: dict = {}


def _labels(model, field_name: str) -> dict:
    """{value: escaped label} of a field's choices in the active language, made once per
    language."""
    from django.utils.translation import get_language

    key = (model, field_name, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = {value: escape(label)
                  for value, label in choice_labels(model, field_name).items()}
        if len(_LABELS) > 100:
            _LABELS.clear()
        _LABELS[key] = labels
    return labels


def _day(value) -> str:
    """A date (or a moment's local date) as Y-m-d."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


@register.simple_tag
def behind_rows(people, link=None):
    from portal.people.models import Supervisee

    labels = _labels(Supervisee, "level")
    # Each level as its class and label: ' <span class="tag lenient">宽管</span>'.
    levels = _Texts(lambda level: f' <span class="tag {escape(level)}">'
                                  f'{labels.get(level) or escape(level)}</span>')
    link = link or pk_link("casework:person")
    number, names = _Texts(number_text()), _Texts(escape)
    return mark_safe("".join([
        f'<tr><td><a href="{link(p.pk)}">{p.legal_name.translate(_ESCAPES)}</a>'
        f'{levels[p.level]}</td>'
        f"<td>{number[p.study_month]} / {number[p.study_expected]}</td>"
        f"<td>{number[p.service_month]} / {number[p.service_expected]}</td>"
        f"<td>{names[p.unit_name]}</td></tr>"
        for p in people]))


@register.simple_tag
def unconfirmed_rows(entries, link=None):
    from volunteering.models import HoursEntry

    labels = _labels(HoursEntry, "kind")
    link, number = link or pk_link("casework:person"), _Texts(number_text(2))
    kinds = _Texts(lambda kind: labels.get(kind) or escape(kind))
    # A day of service (a date) as Y-m-d is its own text; who recorded the hours is
    # escaped by one translation (most rows have their own).
    return mark_safe("".join([
        f'<tr><td><a href="{link(e.supervisee_id)}">{e.legal_name.translate(_ESCAPES)}</a>'
        f"</td><td>{number[e.hours]} · {kinds[e.kind]}</td>"
        f"<td>{e.service_date}</td><td>{e.recorder_name.translate(_ESCAPES)}</td></tr>"
        for e in entries]))


@register.simple_tag
def overdue_items(referrals, link=None):
    waiting = gettext("waiting for the provider since %(date)s")
    link = link or pk_link("casework:person")
    return mark_safe("".join([
        f'<li><a href="{link(r.supervisee_id)}">{r.legal_name.translate(_ESCAPES)}</a> · '
        f'{r.service.translate(_ESCAPES)} · <span class="muted">'
        f'{escape(waiting % {"date": _day(r.consent_at)})}</span></li>'
        for r in referrals]))


@register.simple_tag
def review_items(plans, link=None):
    due = gettext("review was due %(date)s")
    link = link or pk_link("casework:plan_edit")
    return mark_safe("".join([
        f'<li><a href="{link(plan.supervisee_id)}">{plan.legal_name.translate(_ESCAPES)}</a>'
        f' · <span class="muted">{escape(due % {"date": _day(plan.review_on)})}</span></li>'
        for plan in plans]))


@register.simple_tag
def releasing_rows(people, link=None):
    label = escape(gettext("to issue"))
    to_issue = f'<span class="tag strict">{label}</span>'
    link, number = link or pk_link("casework:person"), number_text()

    def days(n):
        return escape(ngettext("%(days)s day", "%(days)s days", n) % {"days": n})

    return mark_safe("".join([
        f'<tr><td><a href="{link(p.pk)}">{p.legal_name.translate(_ESCAPES)}</a></td>'
        f'<td>{_day(p.term_end)} <span class="muted">({days(p.days_left_n)})</span></td>'
        f"<td>{number(p.volunteer_hours)}</td>"
        f"<td>{to_issue if p.certificate_to_issue else '—'}</td></tr>"
        for p in people]))


# --- The page around the sections ------------------------------------------------------
#
# What casework/today.html had around the five sections (a heading, the "only mine"
# form, the five figures, each section's heading, table head, link and "nothing here"
# line) depends only on the language and the URLconf, and through the template it cost
# as many Python calls as the sections themselves (forty-odd tags and conditions). It is
# written out here once per language as one format string; a request puts in the
# figures, the "only mine" choice and the sections. The markup is the template's to the
# byte (tests/casework/test_today_rows.py renders the old template beside it).
#
# {t_…}: a phrase as {% translate %} gave it (escaped); {u_…}: a path as {% url %} gave
# it; the other fields are the request's.

_PAGE = """
<h1>{t_today}</h1>
<form method="get" class="filters" aria-label="{t_whose}">
  <p class="filter-field check"><input type="checkbox" name="mine" id="id_mine"{checked}> \
<label for="id_mine">{t_only_mine}</label>
  <button type="submit">{t_apply}</button>
  <a href="{u_csv}{mine_query}">{t_download}</a></p>
</form>
<ul class="figures" aria-label="{t_glance}">
  <li><a href="#behind-h"><span class="n">{behind_count}</span>{t_behind_n}</a></li>
  <li><a href="#unconf-h"><span class="n">{unconfirmed_count}</span>{t_unconfirmed_n}</a></li>
  <li><a href="#overdue-h"><span class="n">{overdue_count}</span>{t_overdue_n}</a></li>
  <li><a href="#rev-h"><span class="n">{reviews_count}</span>{t_reviews_n}</a></li>
  <li><a href="#rel-h"><span class="n">{releasing_count}</span>{t_releasing_n}</a></li>
</ul>

<section class="card" aria-labelledby="behind-h">
  <h2 id="behind-h">{t_behind_h}</h2>
  {behind}
</section>

<section class="card" aria-labelledby="unconf-h">
  <h2 id="unconf-h">{t_unconfirmed_h}</h2>
  {unconfirmed}
</section>

<section class="card" aria-labelledby="overdue-h">
  <h2 id="overdue-h">{t_overdue_h}</h2>
  {overdue}
</section>

<section class="card" aria-labelledby="rev-h">
  <h2 id="rev-h">{t_reviews_h}</h2>
  {reviews}
</section>

<section class="card" aria-labelledby="rel-h">
  <h2 id="rel-h">{t_releasing_h}</h2>
  {releasing}
</section>
"""

# Each section with rows (its rows go in {rows}) and without.
_SECTIONS = {
    "behind": ("""<div class="table-wrap"><table>
    <thead><tr><th scope="col">{t_name}</th><th scope="col">{t_study}</th>\
<th scope="col">{t_service}</th><th scope="col">{t_unit}</th></tr></thead>
    <tbody>{rows}</tbody>
  </table></div>
  {more}
  """, '<p class="muted">{t_nobody_behind}</p>'),
    "unconfirmed": ("""<div class="table-wrap"><table>
    <thead><tr><th scope="col">{t_name}</th><th scope="col">{t_hours}</th>\
<th scope="col">{t_service_date}</th><th scope="col">{t_recorded_by}</th></tr></thead>
    <tbody>{rows}</tbody>
  </table></div>
  <p><a href="{u_confirm}">{t_confirm}</a></p>
  """, '<p class="muted">{t_no_waiting}</p>'),
    "overdue": ("""<ul class="list-plain">{rows}</ul>
  """, '<p class="muted">{t_no_overdue}</p>'),
    "reviews": ("""<ul class="list-plain">{rows}</ul>
  """, '<p class="muted">{t_no_reviews}</p>'),
    "releasing": ("""<div class="table-wrap"><table>
    <thead><tr><th scope="col">{t_name}</th><th scope="col">{t_term_ends}</th>\
<th scope="col">{t_volunteer}</th><th scope="col">{t_certificate}</th></tr></thead>
    <tbody>{rows}</tbody>
  </table></div>
  """, '<p class="muted">{t_no_releases}</p>'),
}
# Each section's rows and the view its names link to.
_ROWS = {"behind": (behind_rows, "casework:person"),
         "unconfirmed": (unconfirmed_rows, "casework:person"),
         "overdue": (overdue_items, "casework:person"),
         "reviews": (review_items, "casework:plan_edit"),
         "releasing": (releasing_rows, "casework:person")}


def _phrases() -> dict:
    # The page's phrases, in the words (msgids) casework/today.html had.
    return {
        "t_today": gettext("Today"),
        "t_whose": gettext("Whose people"),
        "t_only_mine": gettext("Only people assigned to me"),
        "t_apply": gettext("Apply"),
        "t_download": gettext("Download this list (CSV)"),
        "t_glance": gettext("Today at a glance"),
        "t_behind_n": gettext("behind this month"),
        "t_unconfirmed_n": gettext("hours unconfirmed for over a week"),
        "t_overdue_n": gettext("referrals overdue"),
        "t_reviews_n": gettext("help plans due for review"),
        "t_releasing_n": gettext("releases within 30 days"),
        "t_behind_h": gettext("Behind on study or service this month"),
        "t_unconfirmed_h": gettext("Hours waiting for confirmation for more than a week"),
        "t_overdue_h": gettext("Referrals overdue"),
        "t_reviews_h": gettext("Help plans due for review"),
        "t_releasing_h": gettext("Releases within 30 days"),
        "t_name": gettext("Name"),
        "t_study": gettext("Study hours: done / expected"),
        "t_service": gettext("Service hours: done / expected"),
        "t_unit": gettext("Unit"),
        "t_nobody_behind": gettext("Nobody is behind this month."),
        "t_hours": gettext("Hours"),
        "t_service_date": gettext("Service date"),
        "t_recorded_by": gettext("Recorded by"),
        "t_confirm": gettext("Confirm hours"),
        "t_no_waiting": gettext("No hours have waited more than a week."),
        "t_no_overdue": gettext("No referral is overdue."),
        "t_no_reviews": gettext("No help plan is due for review."),
        "t_term_ends": gettext("Term ends"),
        "t_volunteer": gettext("Volunteer-service hours"),
        "t_certificate": gettext("Certificate"),
        "t_no_releases": gettext("No term ends in the next 30 days."),
    }


class _Leave(dict):
    """Fills what it has; leaves every other {field} for the request."""

    def __missing__(self, key):
        return "{" + key + "}"


_FRAMES: dict = {}


def _frame() -> tuple:
    """(page, {section: (with rows, without)}, the caseload's path, "See all" phrase) for
    the language and URLconf in force, made once."""
    from django.urls import get_script_prefix, get_urlconf, reverse
    from django.utils.translation import get_language

    key = (get_language(), get_urlconf(), get_script_prefix())
    frame = _FRAMES.get(key)
    if frame is None:
        texts = {name: escape(text) for name, text in _phrases().items()}
        texts["u_csv"] = escape(reverse("casework:today_csv"))
        texts["u_confirm"] = escape(reverse("volunteering:hours_confirm"))
        # Filled into what is formatted again per request, a brace is written twice.
        fill = _Leave({name: text.replace("{", "{{").replace("}", "}}")
                       for name, text in texts.items()})
        sections = {name: (rows.format_map(fill), empty.format_map(texts))
                    for name, (rows, empty) in _SECTIONS.items()}
        # {% blocktranslate %} puts the figure into the phrase and escapes neither.
        frame = (_PAGE.format_map(fill), sections, escape(reverse("people:list")),
                 gettext("See all %(n)s in the caseload"))
        if len(_FRAMES) > 100:
            _FRAMES.clear()
        _FRAMES[key] = frame
    return frame


def _figure(n) -> str:
    """{{ n }} of a count, as the template gave it."""
    from django.conf import settings
    from django.utils.formats import localize

    if type(n) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(n)
    return escape(str(localize(n)))


@register.simple_tag(takes_context=True)
def today_page(context):
    """casework/today.html's content: the page around the five sections and the
    sections (the context's behind, unconfirmed, … and their counts, and mine)."""
    page, sections, caseload, see_all = _frame()
    mine = bool(context.get("mine"))
    values = {"checked": " checked" if mine else "", "mine_query": "?mine=on" if mine else ""}
    links: dict = {}  # each view's link made once for the sections that show it
    for name, (with_rows, without) in sections.items():
        rows, count = context[name], context[f"{name}_count"]
        values[f"{name}_count"] = _figure(count)
        if not rows:
            values[name] = without
            continue
        more = ""
        if name == "behind" and count > len(rows):
            more = (f'<p><a href="{caseload}?behind=on{"&amp;mine=on" if mine else ""}">'
                    f'{see_all % {"n": _figure(count)}}</a></p>')
        make, view = _ROWS[name]
        link = links.get(view) or links.setdefault(view, pk_link(view))
        values[name] = with_rows.format(rows=make(rows, link), more=more)
    return mark_safe(page.format_map(values))  # noqa: S308 - every value escaped above

"""The unit dashboard's loops built in Python: the unit selector's options, the month by
month table and the table by unit, each the markup its template loop gave
(casework/unit_dashboard.html before; tests/casework/test_charts.py holds them to it),
with one escape per value. A superuser's selector lists every unit of the province."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.templatetags.xy_tags import number_text

_PK = 987_654_321


def unit_options(units, current_pk) -> SafeString:
    """<option>s of (pk, name) rows, the current unit selected."""
    return mark_safe("".join(  # noqa: S308 - every value escaped
        f'<option value="{pk}"{" selected" if pk == current_pk else ""}>{escape(name)}</option>'
        for pk, name in units))


def month_rows(rows) -> SafeString:
    """The month by month table's rows (Outcomes.month_rows)."""
    number = number_text(1)
    return mark_safe("".join(  # noqa: S308 - numbers and dates only
        f'<tr><th scope="row">{r["month"]:%Y-%m}</th><td>{r["completions"]}</td>'
        f'<td>{number(r["study"])}</td><td>{number(r["public_welfare"])}</td>'
        f'<td>{number(r["volunteer"])}</td><td>{r["placements"]}</td></tr>' for r in rows))


def unit_rows(rows) -> SafeString:
    """The table by unit's rows (Outcomes.unit_rows): the unit, then each child with a
    link to its own dashboard."""
    number = number_text(1)
    link = reverse("casework:unit_dashboard", args=[_PK])
    parts = []
    for r in rows:
        name = escape(r.unit.name)
        if r.depth:
            href = escape(link.replace(str(_PK), str(r.unit.pk)))
            name = f'<a href="{href}">{name}</a>'
        parts.append(f'<tr><th scope="row" class="depth-{r.depth}">{name}</th>'
                     f'<td>{r.in_help}</td><td>{r.completions}</td><td>{number(r.study)}</td>'
                     f'<td>{number(r.service)}</td><td>{r.placed}</td>'
                     f'<td>{r.referrals_closed}</td></tr>')
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped


def referral_rows(rows) -> SafeString:
    """The referrals table's rows: each outcome and its number (Outcomes.referral_outcomes)."""
    return mark_safe("".join(  # noqa: S308 - every label escaped, numbers plain
        f'<tr><th scope="row">{escape(label)}</th><td>{n}</td></tr>' for label, n in rows))

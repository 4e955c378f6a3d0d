"""The caseload's rows built in Python from its values rows (portal/people/caseload.py):
twenty-five a page, nine cells each, were most of the page's time as a template loop
(one node per cell), and through format_html (an escape and a SafeString per value) still
a third of it. Every value is escaped once as plain text (html.escape, what Django's
escape() does to a string); the markup is what the loop gave
(tests/people/test_caseload_rows.py)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal.people.models import Supervisee
from portal.templatetags.xy_tags import choice_labels, number_text, pk_link

register = template.Library()


@register.simple_tag
def caseload_rows(people):
    casework, juvenile, sealed, behind = (escape(text) for text in (
        gettext("casework"), gettext("juvenile"), gettext("sealed"), gettext("behind")))
    levels = {k: escape(v) for k, v in choice_labels(Supervisee, "level").items()}
    statuses = {k: escape(v) for k, v in choice_labels(Supervisee, "status").items()}
    case_page = gettext("Casework page of %(name)s")
    behind_tag, late_class = f' <span class="tag strict">{behind}</span>', ' class="behind"'
    juvenile_tag = f' <span class="tag">{juvenile}</span>'
    sealed_tag = f' <span class="tag">{sealed}</span>'
    detail, person, number = pk_link("people:detail"), pk_link("casework:person"), number_text()

    def study(p):
        if not p.in_correction:
            return "—"
        late = p.study_month < p.study_expected
        return (f'<span{late_class if late else ""}>{number(p.study_month)}</span> '
                f'<span class="muted">/ {number(p.study_expected)}</span>'
                f'{behind_tag if late else ""}')

    def service(p):
        if not p.in_correction:
            return "—"
        return (f"<span>{number(p.service_month)}</span> "
                f'<span class="muted">/ {number(p.service_expected)}</span>'
                f'{behind_tag if p.service_month < p.service_expected else ""}')

    def row(p):
        name = escape(p.legal_name)
        return (
            f'<tr><td><a href="{detail(p.pk)}">{name}</a> <a class="small" '
            f'href="{person(p.pk)}" aria-label="{escape(case_page % {"name": p.legal_name})}">'
            f'{casework}</a>{juvenile_tag if p.is_juvenile else ""}'
            f'{sealed_tag if p.is_sealed else ""}</td>'
            f'<td><span class="tag {escape(p.level)}">{levels.get(p.level) or escape(p.level)}'
            f"</span></td><td>{statuses.get(p.status) or escape(p.status)}</td>"
            f'<td>{p.term_end.isoformat() if p.term_end else ""}</td>'
            f"<td>{escape(p.unit_name)}</td><td>{escape(p.caseworker_name) or '—'}</td>"
            f"<td>{study(p)}</td><td>{service(p)}</td><td>{p.open_referrals}</td></tr>")

    return mark_safe("".join(row(p) for p in people))

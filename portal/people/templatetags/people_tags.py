"""The caseload's rows built in Python: fifty a page, nine cells each, were most of the
page's time as a template loop (one node per cell). The markup is what the loop gave
(tests/people/test_caseload_rows.py)."""

from django import template
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal.people.models import Supervisee
from portal.templatetags.xy_tags import choice_labels, pk_url, short_number

register = template.Library()


@register.simple_tag
def caseload_rows(people):
    casework, juvenile, sealed, behind = (gettext("casework"), gettext("juvenile"),
                                          gettext("sealed"), gettext("behind"))
    levels, statuses = choice_labels(Supervisee, "level"), choice_labels(Supervisee, "status")
    case_page = gettext("Casework page of %(name)s")
    behind_tag = format_html(' <span class="tag strict">{}</span>', behind)

    def name(p):
        return format_html(
            '<a href="{}">{}</a> <a class="small" href="{}" aria-label="{}">{}</a>{}{}',
            pk_url("people:detail", p.pk), p.legal_name, pk_url("casework:person", p.pk),
            case_page % {"name": p.legal_name}, casework,
            format_html(' <span class="tag">{}</span>', juvenile) if p.is_juvenile else "",
            format_html(' <span class="tag">{}</span>', sealed) if p.is_sealed else "")

    def study(p):
        if not p.in_correction:
            return "—"
        late = p.study_month < p.study_expected
        return format_html('<span{}>{}</span> <span class="muted">/ {}</span>{}',
                           mark_safe(' class="behind"') if late else "",
                           short_number(p.study_month), short_number(p.study_expected),
                           behind_tag if late else "")

    def service(p):
        if not p.in_correction:
            return "—"
        return format_html('<span>{}</span> <span class="muted">/ {}</span>{}',
                           short_number(p.service_month), short_number(p.service_expected),
                           behind_tag if p.service_month < p.service_expected else "")

    return format_html_join("", (
        '<tr><td>{}</td><td><span class="tag {}">{}</span></td><td>{}</td><td>{}</td>'
        '<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>'), (
        (name(p), p.level, levels.get(p.level, p.level), statuses.get(p.status, p.status),
         dateformat.format(p.term_end, "Y-m-d") if p.term_end else "", p.unit,
         p.caseworker or "—", study(p), service(p), p.open_referrals) for p in people))

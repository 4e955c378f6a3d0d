"""The today list's sections are built in Python (casework_tags): the markup must be what
the template loops they replaced gave, in both languages, for every kind of row."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from portal.casework.services import help_plan_save
from volunteering.models import ServiceKind

pytestmark = pytest.mark.django_db

# The loops as casework/today.html had them; each section's list is in the context under
# the same name.
LOOPS = {
    "behind": ("behind_rows", """{% load i18n xy_tags %}{% for p in behind %}<tr><td><a href="{% pk_url 'casework:person' p.pk %}">{{ p.legal_name }}</a> <span class="tag {{ p.level }}">{{ p.get_level_display }}</span></td>
      <td>{{ p.study_month|short_number }} / {{ p.study_expected|short_number }}</td><td>{{ p.service_month|short_number }} / {{ p.service_expected|short_number }}</td><td>{{ p.unit }}</td></tr>{% endfor %}"""),
    "unconfirmed": ("unconfirmed_rows", """{% load i18n xy_tags %}{% for e in unconfirmed %}<tr><td><a href="{% pk_url 'casework:person' e.supervisee_id %}">{{ e.supervisee.legal_name }}</a></td><td>{{ e.hours|short_number:2 }} · {{ e.get_kind_display }}</td><td>{{ e.service_date|date:"Y-m-d" }}</td><td>{{ e.recorder_name }}</td></tr>{% endfor %}"""),
    "overdue": ("overdue_items", """{% load i18n xy_tags %}{% for r in overdue %}<li><a href="{% pk_url 'casework:person' r.supervisee_id %}">{{ r.supervisee.legal_name }}</a> · {{ r.service }} · <span class="muted">{% blocktranslate with date=r.consent_at|date:"Y-m-d" %}waiting for the provider since {{ date }}{% endblocktranslate %}</span></li>{% endfor %}"""),
    "reviews": ("review_items", """{% load i18n xy_tags %}{% for plan in reviews %}<li><a href="{% pk_url 'casework:plan_edit' plan.supervisee_id %}">{{ plan.supervisee.legal_name }}</a> · <span class="muted">{% blocktranslate with date=plan.review_on|date:"Y-m-d" %}review was due {{ date }}{% endblocktranslate %}</span></li>{% endfor %}"""),
    "releasing": ("releasing_rows", """{% load i18n xy_tags %}{% for p in releasing %}<tr><td><a href="{% pk_url 'casework:person' p.pk %}">{{ p.legal_name }}</a></td><td>{{ p.term_end|date:"Y-m-d" }} <span class="muted">({% blocktranslate count days=p.days_left_n %}{{ days }} day{% plural %}{{ days }} days{% endblocktranslate %})</span></td><td>{{ p.volunteer_hours|short_number }}</td>
      <td>{% if p.certificate_to_issue %}<span class="tag strict">{% translate "to issue" %}</span>{% else %}—{% endif %}</td></tr>{% endfor %}"""),
}


def _markup(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", text).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_python_sections_give_the_template_loops_markup(world, build, login, language):
    cw = world.users["caseworker"]
    late = build.person(legal_name="孙<滞后>")
    old = timezone.now() - datetime.timedelta(days=10)
    build.service(late, 2.5, confirmed=False, recorded_at=old,
                  day=timezone.localdate() - datetime.timedelta(days=10))
    build.service(late, 1, kind=ServiceKind.VOLUNTEER_SERVICE, confirmed=False,
                  recorded_at=old, day=timezone.localdate() - datetime.timedelta(days=9))
    build.referral(late, consent_days_ago=30)
    for days in (1, 10):
        leaving = build.person(legal_name=f"周将解矫{days}",
                               term_end=timezone.localdate() + datetime.timedelta(days=days))
        build.service(leaving, 6, kind=ServiceKind.VOLUNTEER_SERVICE)
    help_plan_save(supervisee=late, changed_by=cw, goals="目标",
                   review_on=timezone.localdate() - datetime.timedelta(days=1))
    context = login(cw).get("/casework/today/").context
    for name in LOOPS:
        assert len(context[name]) >= 1, name
    with translation.override(language):
        for name, (tag, loop) in LOOPS.items():
            data = Context({name: context[name]})
            old_markup = Template(loop).render(data)
            new_markup = Template("{% load casework_tags %}{% " + tag + " " + name + " %}"
                                  ).render(data)
            assert _markup(new_markup) == _markup(old_markup), name
    assert "孙&lt;滞后&gt;" in Template("{% load casework_tags %}{% behind_rows behind %}"
                                        ).render(Context({"behind": context["behind"]}))

"""The caseload's rows (portal/people/caseload.py: values rows, from a kept statement when
no filter is chosen) are the filterset queryset's rows, page by page, for every kind of
viewer; and built in Python (people_tags.caseload_rows) they give the markup the template
loop gave over the model instances, in both languages, for every kind of row (in
correction and behind or not, released, juvenile, sealed, no caseworker)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from courses.models import StudyHoursEntry
from portal.people.caseload import FIELDS, as_rows, caseload_page
from portal.people.filters import caseload_filterset
from portal.people.models import Supervisee
from tests import factories as f

LOOP = """{% load i18n xy_tags %}{% for p in rows %}<tr>
    <td><a href="{% pk_url 'people:detail' p.pk %}">{{ p.legal_name }}</a> <a class="small" href="{% pk_url 'casework:person' p.pk %}" aria-label="{% blocktranslate with name=p.legal_name %}Casework page of {{ name }}{% endblocktranslate %}">{% translate "casework" %}</a>{% if p.is_juvenile %} <span class="tag">{% translate "juvenile" %}</span>{% endif %}{% if p.is_sealed %} <span class="tag">{% translate "sealed" %}</span>{% endif %}</td>
    <td><span class="tag {{ p.level }}">{{ p.get_level_display }}</span></td><td>{{ p.get_status_display }}</td>
    <td>{{ p.term_end|date:"Y-m-d" }}</td><td>{{ p.unit }}</td><td>{{ p.caseworker|default:"—" }}</td>
    <td>{% if p.in_correction %}<span{% if p.study_month < p.study_expected %} class="behind"{% endif %}>{{ p.study_month|short_number }}</span> <span class="muted">/ {{ p.study_expected|short_number }}</span>{% if p.study_month < p.study_expected %} <span class="tag strict">{% translate "behind" %}</span>{% endif %}{% else %}—{% endif %}</td>
    <td>{% if p.in_correction %}<span>{{ p.service_month|short_number }}</span> <span class="muted">/ {{ p.service_expected|short_number }}</span>{% if p.service_month < p.service_expected %} <span class="tag strict">{% translate "behind" %}</span>{% endif %}{% else %}—{% endif %}</td>
    <td>{{ p.open_referrals }}</td>
  </tr>{% endfor %}"""


def _markup(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", text).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_python_rows_give_the_template_loops_markup(world, language):
    today = timezone.localdate()
    people = list(Supervisee.objects.order_by("pk"))
    assert len(people) >= 2
    first, second = people[0], people[1]
    StudyHoursEntry.objects.create(supervisee=first, kind="attendance", hours=Decimal("40"),
                                   credited_on=today)
    Supervisee.objects.filter(pk=second.pk).update(
        is_juvenile=True, caseworker=None, legal_name="王<小>明")
    if len(people) > 2:
        Supervisee.objects.filter(pk=people[2].pk).update(
            status=Supervisee.Status.RELEASED, term_end=today - datetime.timedelta(days=3))
    user = world.users["unit_admin"]
    instances = list(caseload_filterset(user, {}).qs)
    assert {p.pk for p in instances} >= {first.pk, second.pk}
    rows = caseload_page(user, None, "1", size=100).object_list
    with translation.override(language):
        old = Template(LOOP).render(Context({"rows": instances}))
        new = Template("{% load people_tags %}{% caseload_rows rows %}").render(
            Context({"rows": rows}))
    assert _markup(new) == _markup(old)
    assert "王&lt;小&gt;明" in new  # escaped
    assert new.count("<tr>") == len(rows) and '<span class="muted">/ ' in new


@pytest.mark.parametrize("who", ["caseworker", "other_caseworker", "unit_admin", "superuser"])
def test_pages_are_the_filtersets_rows_for_every_viewer_and_page(world, who):
    for n in range(7):
        f.SuperviseeFactory(unit=world.squad1, caseworker=world.users["caseworker"],
                            legal_name=f"甲{n}", is_juvenile=n == 3, is_sealed=n == 4)
    user = world.users[who]
    expected = as_rows(caseload_filterset(user, {}).qs.values_list(*FIELDS))
    assert expected
    size = 3
    pages = -(-len(expected) // size)
    for number, shown in [("1", 1), ("2", 2), (str(pages), pages), ("99", pages),
                          ("abc", 1), ("", 1), (None, 1), ("0", pages), ("-3", pages)]:
        shown = min(shown, pages)
        for filterset in (None, caseload_filterset(user, {"page": number})):
            for _ in range(2):  # prepared on the first call, kept on the second
                page = caseload_page(user, filterset, number, size=size)
            assert page.number == shown, (number, filterset)
            assert page.paginator.count == len(expected)
            assert list(page.object_list) == expected[(shown - 1) * size:shown * size], number
    filtered = caseload_page(user, caseload_filterset(user, {"q": "甲"}), "1", size=size)
    names = [row.legal_name for row in filtered.object_list]
    assert all(name.startswith("甲") for name in names)
    assert bool(names) == (who != "other_caseworker")  # squad 1's people

"""The matches list built in Python (employment/templatetags/match_tags.py) is the
markup the template loop gave, in both languages: every kind of opening line (pay from
and to, either, neither; a training place), an application's status, reasons of every
sign, values that need escaping, and an empty page."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from employment import matching
from employment.models import Application
from employment.selectors import MatchRow
from employment.templatetags.match_tags import match_items

# The loop as employment/matches.html had it: the reference.
LOOP = Template("""{% load i18n %}{% for row in page %}{% with o=row.opening %}
  <li class="card emp-item">
    <h3><a href="{{ o.url }}">{{ o.title }}</a> <span class="tag">{% if o.kind == "job" %}{% translate "Job" %}{% else %}{% translate "Training" %}{% endif %}</span>{% if row.application %} <span class="tag emp-mine">{{ row.application.status_label }}</span>{% endif %}</h3>
    {% include "employment/includes/opening_meta.html" %}
    {% include "employment/includes/reasons.html" with reasons=row.assessment.reasons %}
  </li>
{% endwith %}{% empty %}
  <li>{% translate "No openings match right now. Your caseworker can help you find one." %}</li>
{% endfor %}""")


def _opening(n, **fields):
    values = dict(kind="job", id=n, title=f"岗位{n}", organisation_id=1,
                  organisation="金银花产业园", industry_id=1, industry="物流", district_id=1,
                  district="城关镇", county="示范县", venue_type_id=None, venue_type="",
                  shift="day", work_days=frozenset({1, 2}), hours_per_week=40,
                  juveniles_allowed=True, pay_min=3000, pay_max=4000)
    values.update(fields)
    return matching.Opening(**values)


R = matching.Reason
REASONS = [
    R("+", "skills_used", (1, 2, "驾驶")), R("-", "skills_missing", (2,)),
    R("+", "no_skills_needed"), R("+", "teaches_new", ("<烹饪> & \"仓储\"",)),
    R("+", "builds_on", ("驾驶",)), R("+", "home_district", ("城关镇",)),
    R("+", "preferred_district", ("柳河镇",)), R("+", "in_county", ("柳河镇",)),
    R("=", "travel_approved", ("邻县镇", datetime.date(2027, 3, 1))),
    R("=", "travel_approved", ("邻县镇", None)), R("=", "outside_county", ("邻县镇",)),
    R("+", "flexible"), R("-", "reporting_clash", (2, "morning")),
    R("+", "reporting_free", (3, "evening")), R("-", "class_clash", (6, "night")),
    R("+", "shift_preferred", ("day",)), R("-", "shift_not_preferred", ("night",)),
    R("+", "hours_fit", (40,)), R("-", "too_many_hours", (48, 40)),
    R("=", "juveniles_welcome"), R("x", "banned_industry", ("金融",)),
]


def _rows():
    applied = Application(status="interview")
    hired = Application(status="hired", training_place_id=3)
    recommended = Application(status="recommended")
    return [
        MatchRow(matching.Assessment(_opening(1), 70, REASONS[:8])),
        MatchRow(matching.Assessment(_opening(2, pay_max=None, shift="night",
                                              title="<b>夜班</b> & 'x'"), 50, REASONS[8:15]),
                 applied),
        MatchRow(matching.Assessment(_opening(3, pay_min=None, shift="flexible",
                                              organisation="A&B <公司>"), 40, REASONS[15:]),
                 recommended),
        MatchRow(matching.Assessment(_opening(4, pay_min=None, pay_max=None,
                                              shift="rotating", hours_per_week=12), 30, [])),
        MatchRow(matching.Assessment(_opening(3, kind="training", title="叉车培训",
                                              pay_min=None, pay_max=None, shift="evening",
                                              starts_on=datetime.date(2027, 1, 4)), 20,
                                     REASONS[3:5]), hired),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_items_are_the_loops_markup(language):
    with translation.override(language):
        rows = _rows()
        expected = LOOP.render(Context({"page": rows}))
        assert str(match_items(rows)) == expected
        assert "&lt;b&gt;夜班&lt;/b&gt; &amp; &#x27;x&#x27;" in expected
        assert "emp-excluded" in expected and "emp-note" in expected
        assert str(match_items([])) == LOOP.render(Context({"page": []}))

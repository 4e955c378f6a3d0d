"""The unit dashboard's parts built in Python are the markup their templates gave, character
for character, in both languages: the charts (casework.charts.svg against
casework/_chart.html: columns, one series and stacked, bars, empty charts), the report
form's kept fields, and the unit selector and the two tables (casework/
dashboard_markup.py against the loops unit_dashboard.html had), with values that need
escaping and figures with fractions, negatives and thousands."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from casework import charts

LABELS = [f"{m:02d}" for m in range(1, 13)]
FULL = [f"2026-{m:02d}" for m in range(1, 13)]


def _charts():
    return [
        charts.column_chart(LABELS, [("课程", [0, 3, 1, 0, 7, 2, 0, 0, 1, 9, 4, 12])],
                            full_labels=FULL),
        charts.column_chart(LABELS, [("学习<时长>", [Decimal("1.5"), Decimal("0"), Decimal(
            "12.25"), Decimal("-1"), Decimal("3.0"), 0, 0, 0, 0, 0, Decimal("0.04"),
            Decimal("100")])], full_labels=FULL),
        charts.column_chart(LABELS, [("公益活动", [Decimal(i) / 3 for i in range(12)]),
                                     ("志愿服务 & more", [Decimal(12 - i) for i in range(12)])],
                            full_labels=FULL),
        charts.column_chart(LABELS, [("空", [0] * 12)], full_labels=FULL),
        charts.column_chart(["a", "b"], [("x", [1, 2]), ("y", [0, 0])]),
        charts.bar_chart([("Goals \"achieved\"", 4), ("部分", 0), ("未达成", 11),
                          ("<none>", 1)]),
        charts.bar_chart([("甲", 0), ("乙", 0)]),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_python_charts_are_the_templates_markup(language):
    with translation.override(language):
        title, desc = gettext("Courses completed per month"), "<一列> & \"每月\" '季'"
        for i, chart in enumerate(_charts()):
            chart_id = f"ch-{i}"
            expected = render_to_string("casework/_chart.html", {
                "chart": chart, "chart_id": chart_id, "chart_title": title,
                "chart_desc": desc})
            assert charts.svg(chart, chart_id, title, desc) == expected, i


COLUMN_INPUTS = [
    (LABELS, [("课程", [0, 3, 1, 0, 7, 2, 0, 0, 1, 9, 4, 12])], FULL),
    (LABELS, [("学习<时长>", [Decimal("1.5"), Decimal("0"), Decimal("12.25"), Decimal("-1"),
                             Decimal("3.0"), 0, 0, 0, 0, 0, Decimal("0.04"),
                             Decimal("100")])], FULL),
    (LABELS, [("公益活动", [Decimal(i) / 3 for i in range(12)]),
              ("志愿服务 & more", [Decimal(12 - i) for i in range(12)])], FULL),
    (LABELS, [("空", [0] * 12)], FULL),
    (LABELS, [("a", [None, 1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
              ("b", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Decimal("0.5")])], FULL),
    (LABELS, [("学习", [Decimal("1234567.89"), Decimal("0.05")] + [Decimal("0.01")] * 10),
              ("志愿", [1.25, 2.5] + [0] * 10), ("第三\"个\"", [3] * 12)], FULL),
    (["a", "<b>"], [("x", [1, 2]), ("y", [0, 0])], None),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_column_svg_is_svg_of_column_chart(language):
    """The unit dashboard's charts, written straight from the figures, are what svg()
    gives of column_chart() (and that the template's), for every kind of figure."""
    with translation.override(language):
        title, desc = gettext("Study hours per month"), "<一列> & \"每月\" '季'"
        for i, (labels, series, full) in enumerate(COLUMN_INPUTS):
            expected = charts.svg(charts.column_chart(labels, series, full_labels=full),
                                  f"ch-{i}", title, desc)
            assert charts.column_svg(labels, series, f"ch-{i}", title, desc,
                                     full_labels=full) == expected, i
        assert "<rect" in expected and "legend" in expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_report_forms_kept_fields_are_the_forms_own_rendering(language):
    import datetime

    from django.template import Context, Template

    from casework import views
    from casework.forms import ReportForm

    views._REPORT_FIELDS.clear()
    loop = Template('{% for field in report_form %}<div class="filter-field">'
                    '{{ field.as_field_group }}</div>{% endfor %}')
    with translation.override(language):
        for today, month, quarter in ((datetime.date(2026, 1, 15), "2025-12", "2026-Q1"),
                                      (datetime.date(2026, 8, 31), "2026-07", "2026-Q3")):
            form = ReportForm(initial={"period": "month", "format": "xlsx", "month": month,
                                       "quarter": quarter})
            expected = loop.render(Context({"report_form": form}))
            assert views._report_fields(today) == expected
            assert views._report_fields(today) == expected  # and kept
            assert f'value="{month}"' in expected and f'value="{quarter}"' in expected
    assert len(views._REPORT_FIELDS) == 2


MONTHS = [{"month": datetime.date(2026, m, 1), "completions": m * 3 % 7,
           "study": Decimal(m) / 3 if m % 2 else Decimal("12.04"),
           "public_welfare": Decimal("0.05") * m - 1, "volunteer": Decimal("1000.5"),
           "placements": m % 4} for m in range(1, 13)]
UNITS = [(3, "示范县<司法局>"), (17, "第一中队 & 一组"), (1234, '"二队"')]


def _unit_rows():
    from types import SimpleNamespace

    from casework.selectors import UnitRow

    return [UnitRow(unit=SimpleNamespace(pk=pk, name=name), depth=min(i, 1), in_help=i * 5,
                    completions=i, study=Decimal("7.25") * i, service=Decimal(i) / 7,
                    placed=2 - i, referrals_closed=i * 11)
            for i, (pk, name) in enumerate(UNITS)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_dashboards_python_rows_are_the_template_loops_markup(language):
    from django.template import Context, Template

    from casework import dashboard_markup

    months = Template(
        '{% load xy_tags %}{% for r in rows %}<tr><th scope="row">{{ r.month|date:"Y-m" }}'
        '</th><td>{{ r.completions }}</td><td>{{ r.study|short_number }}</td><td>'
        '{{ r.public_welfare|short_number }}</td><td>{{ r.volunteer|short_number }}</td><td>'
        '{{ r.placements }}</td></tr>{% endfor %}')
    units = Template(
        '{% load xy_tags %}{% for r in unit_rows %}<tr><th scope="row" class="depth-'
        '{{ r.depth }}">{% if r.depth %}<a href="{% url \'casework:unit_dashboard\' r.unit.pk %}">'
        '{{ r.unit.name }}</a>{% else %}{{ r.unit.name }}{% endif %}</th><td>{{ r.in_help }}'
        '</td><td>{{ r.completions }}</td><td>{{ r.study|short_number }}</td><td>'
        '{{ r.service|short_number }}</td><td>{{ r.placed }}</td><td>{{ r.referrals_closed }}'
        '</td></tr>{% endfor %}')
    options = Template(
        '{% for u in units %}<option value="{{ u.pk }}"{% if u.pk == unit.pk %} selected'
        '{% endif %}>{{ u.name }}</option>{% endfor %}')
    rows = _unit_rows()
    with translation.override(language):
        assert dashboard_markup.month_rows(MONTHS) == months.render(Context({"rows": MONTHS}))
        assert dashboard_markup.unit_rows(rows) == units.render(Context({"unit_rows": rows}))
        for current in rows:
            expected = options.render(Context({"units": [r.unit for r in rows],
                                               "unit": current.unit}))
            assert dashboard_markup.unit_options(UNITS, current.unit.pk) == expected
            assert expected.count(" selected") == 1

"""The unit dashboard's charts built in Python (portal.casework.charts.svg) are the markup
casework/_chart.html gives for the same chart, character for character, in both
languages: columns (one series and stacked), bars, empty charts, and values that need
escaping."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from portal.casework import charts

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
        title, desc = gettext("Courses completed per month"), "<一列> & \"每月\""
        for i, chart in enumerate(_charts()):
            chart_id = f"ch-{i}"
            expected = render_to_string("casework/_chart.html", {
                "chart": chart, "chart_id": chart_id, "chart_title": title,
                "chart_desc": desc})
            assert charts.svg(chart, chart_id, title, desc) == expected, i


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_report_forms_kept_fields_are_the_forms_own_rendering(language):
    import datetime

    from django.template import Context, Template

    from portal.casework import views
    from portal.casework.forms import ReportForm

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

"""The unit dashboard's charts (casework.charts through casework/_chart.html): text is
escaped, a stacked chart has a legend, an empty chart says so, and the page draws its
five charts and its tables."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from casework import charts

pytestmark = pytest.mark.django_db

LABELS = [f"{m:02d}" for m in range(1, 13)]
FULL = [f"2026-{m:02d}" for m in range(1, 13)]


def _render(chart, title="标题 <一>", desc="<一列> & \"每月\""):
    return render_to_string("casework/_chart.html", {
        "chart": chart, "chart_id": "ch-x", "chart_title": title, "chart_desc": desc})


def test_a_column_chart_escapes_its_text_and_gives_each_column():
    chart = charts.column_chart(LABELS, [("学习<时长>", [Decimal("1.5"), 0, Decimal("12.25"),
                                                        *[1] * 9])], full_labels=FULL)
    html = _render(chart)
    assert html.count("<g>") == 12 and "<rect" in html
    assert "学习&lt;时长&gt;" in html and "标题 &lt;一&gt;" in html
    assert "&lt;一列&gt; &amp; &quot;每月&quot;" in html and "<一列>" not in html
    assert "2026-03 · 学习&lt;时长&gt;: 12.2" in html or "2026-03 · 学习&lt;时长&gt;: 12.3" in html
    assert 'class="legend"' not in html  # one series: no legend


def test_a_stacked_chart_has_a_legend_and_an_empty_one_says_so():
    stacked = charts.column_chart(LABELS, [("公益活动", [Decimal(i) / 3 for i in range(12)]),
                                           ("志愿服务 & more", [1] * 12)])
    html = _render(stacked)
    assert 'class="legend"' in html and "志愿服务 &amp; more" in html
    with translation.override("en"):
        empty = _render(charts.column_chart(LABELS, [("空", [0] * 12)]))
        assert "Nothing recorded in this period." in empty and "<svg" not in empty


def test_a_bar_chart_gives_each_outcome():
    html = _render(charts.bar_chart([('Goals "achieved"', 4), ("部分", 0), ("<none>", 1)]))
    assert html.count("<g transform") == 3
    assert "Goals &quot;achieved&quot;: 4" in html and "&lt;none&gt;" in html


def test_the_unit_dashboard_draws_its_charts_and_tables(world, login):
    client = login(world.users["unit_admin"])
    html = client.get("/casework/units/").content.decode()
    assert html.count('<figure class="chart cw-chart">') == 5
    today = timezone.localdate()
    assert f"{today:%Y-%m}" in html  # the month by month table's last row
    assert f'<option value="{world.bureau.pk}" selected>' in html
    assert 'name="period"' in html and 'name="format"' in html

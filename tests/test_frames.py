"""portal/templating/frames.py: a template kept rendered with markers for its values gives
exactly what rendering it with the values gives, in every language and variant, whatever
the values hold; a template that does more with a value than print it is refused."""

import pytest
from django.template import TemplateDoesNotExist, engines
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from casework import dashboard_markup
from portal.templating import frames

CONTENT = "casework/_unit_dashboard_content.html"


def _values(name, n):
    return {
        "unit_name": name, "start": "2026-01", "end": "2026-12-05",
        "in_help": n, "in_correction": n - 1, "released": 1, "juveniles": 0,
        "completions_total": n * 3, "placed": 2, "referrals_closed": 5, "followed_90": 1,
        "employed_90": 1, "referrals_open": 12345,
        "referral_rows": dashboard_markup.referral_rows([("达成 <目标>", 3), ("无", 0)]),
        "report_url": "/casework/units/7/report/",
        "month_rows": mark_safe("<tr><td>1</td></tr>"), "unit_rows": mark_safe(""),
        "placements_chart": mark_safe('<figure class="chart">{x}</figure>'),
        "completions_chart": mark_safe("<svg>%s %(n)s</svg>"), "hours_chart": mark_safe(""),
        "service_chart": mark_safe("<svg/>"), "referrals_chart": mark_safe("<svg/>"),
        "report_fields": mark_safe('<div class="filter-field">…</div>'),
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", ["示范县司法局", '<b>"甲" & {乙} 100%</b>', "O'Brien {0} {name}"])
def test_a_frame_gives_what_the_template_gives(language, name):
    for has_options in (True, False):
        for n in (1, 7, 600):
            values = _values(name, n)
            if has_options:
                values["unit_options"] = dashboard_markup.unit_options(
                    [(1, name), (2, "第二中队")], 1)
            with translation.override(language):
                expected = render_to_string(CONTENT, {**values, "has_options": has_options})
                got = frames.framed(CONTENT, values, {"has_options": has_options})
            assert got == expected
            assert ("<select" in got) is has_options


def test_values_of_every_kind_print_as_the_template_prints_them(settings, tmp_path):
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    (tmp_path / "kinds.html").write_text("<p>{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    values = {"a": 12345, "b": Decimal("3.50"), "c": datetime.date(2026, 12, 5),
              "d": timezone.make_aware(datetime.datetime(2026, 12, 5, 23, 30),
                                       datetime.UTC),
              "e": None, "f": "<i>'x' & \"y\"</i>"}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert frames.framed("kinds.html", values) == render_to_string("kinds.html", values)


def test_the_frame_is_kept_per_language():
    values = _values("一中队", 3)
    with translation.override("en"):
        english = frames.framed(CONTENT, values, {"has_options": False})
    with translation.override("zh-hans"):
        chinese = frames.framed(CONTENT, values, {"has_options": False})
    assert "Outcomes: 一中队" in english and "Outcomes" not in chinese and english != chinese


def test_a_value_used_in_a_condition_or_filter_is_refused(settings, tmp_path):
    (tmp_path / "uses.html").write_text("{% if flag %}yes{% endif %}{{ name|upper }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    engines._engines = {}
    engines.__dict__.pop("templates", None)
    try:
        with pytest.raises(ValueError, match="flag"):
            frames.framed("uses.html", {"flag": True, "name": "x"})
        with pytest.raises(TemplateDoesNotExist):
            frames.framed("missing.html", {})
    finally:
        engines._engines = {}
        engines.__dict__.pop("templates", None)

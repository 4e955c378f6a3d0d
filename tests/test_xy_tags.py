"""The row helpers of portal/templatetags/xy_tags.py give exactly what the Django tags
they stand in for give: `short_number` as `floatformat:"-N"`, `pk_url` as `url`."""

import random
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from portal.templatetags.xy_tags import number_text, pk_path, pk_url, short_number

rng = random.Random(3)
VALUES = ([Decimal(f"{rng.randint(-20000, 20000)}E-{rng.randint(0, 3)}") for _ in range(400)]
          + [rng.uniform(-500, 500) for _ in range(100)] + [rng.randint(-999, 999)
                                                            for _ in range(20)]
          + [Decimal("0"), Decimal("-0.00"), Decimal("12.04"), Decimal("12.05"),
             Decimal("12.25"), Decimal("-12.25"), Decimal("0.05"), Decimal("-0.04"),
             Decimal("1E+3"), Decimal("123456.78"), 0, 0.0, -0.0, 2.5, 1e-9,
             None, "", "3.14", "abc", Decimal("NaN"), Decimal("Infinity"), True])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("places", [1, 2])
def test_the_same_text_as_floatformat(language, places):
    with translation.override(language):
        for value in VALUES:
            assert str(short_number(value, places)) == str(floatformat(value, f"-{places}")), (
                value, places)
        text = number_text(places)  # the same, for rows built in Python
        for value in VALUES:
            assert text(value) == str(floatformat(value, f"-{places}")), (value, places)


def test_a_template_using_it_renders_hours(db):
    from django.template import Context, Template

    rendered = Template("{% load xy_tags %}{{ a|short_number }} {{ b|short_number:2 }}"
                        ).render(Context({"a": Decimal("7.50"), "b": Decimal("3.25")}))
    assert rendered == "7.5 3.25"


@pytest.mark.parametrize("name", ["casework:person", "people:detail", "volunteering:activity",
                                  "employment:job", "courses:session_ics"])
def test_pk_url_is_the_reversed_path(name):
    from django.urls import reverse

    for pk in (0, 1, 7, 123456, 2**40):
        assert pk_url(name, pk) == reverse(name, args=[pk])
        assert pk_path(name, pk) == reverse(name, args=[pk])


def test_pk_url_follows_the_script_prefix_and_refuses_what_url_refuses():
    from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

    plain = pk_url("casework:person", 5)
    set_script_prefix("/portal/")
    try:
        assert pk_url("casework:person", 5) == reverse("casework:person", args=[5]) == (
            "/portal" + plain)
    finally:
        clear_script_prefix()
    assert not pk_url("casework:person", 5).startswith("/portal/")
    for bad in (-1, "abc", None):
        with pytest.raises(NoReverseMatch):
            pk_url("casework:person", bad)
    with pytest.raises(NoReverseMatch):
        pk_url("no-such:view", 1)


def test_pk_url_in_a_template_matches_url(db):
    from django.template import Context, Template

    context = Context({"pk": 42, "name": "<b>"})
    fast = Template("{% load xy_tags %}{% pk_url 'people:detail' pk %}").render(context)
    slow = Template("{% url 'people:detail' pk %}").render(context)
    assert fast == slow == "/people/42/"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_choice_labels_are_what_get_display_gives(language):
    from django.utils import translation

    from portal.people.models import Supervisee
    from portal.templatetags.xy_tags import choice_labels
    from volunteering.models import Activity, HoursEntry, Signup

    with translation.override(language):
        for model, name in ((Supervisee, "level"), (Supervisee, "status"),
                            (Activity, "kind"), (HoursEntry, "kind"), (Signup, "attendance")):
            labels = choice_labels(model, name)
            values = [v for v, _label in model._meta.get_field(name).flatchoices]
            assert values and "not-a-choice" not in labels
            for value in [*values, "not-a-choice"]:
                row = model(**{name: value})
                assert labels.get(value, value) == getattr(row, f"get_{name}_display")()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_fixed_url_is_the_url_tag(db, language):
    from django.template import Context, Template
    from django.utils import translation

    names = ["courses:my_hours", "calendar:settings", "checkin:my_qr", "account_logout",
             "account_login", "dashboard"]
    with translation.override(language):
        for name in names:
            for _ in range(2):  # reversed, then kept
                got = Template("{% load xy_tags %}{% fixed_url '" + name + "' %}").render(
                    Context())
                assert got == Template("{% url '" + name + "' %}").render(Context()), name

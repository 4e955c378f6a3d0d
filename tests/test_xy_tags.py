"""portal/templatetags/xy_tags.py: `short_number` shows hours as `floatformat:"-N"` does,
in the active language; `choice_labels` gives what get_FOO_display gives."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(("value", "places", "shown"), [
    (Decimal("7.50"), 1, "7.5"), (Decimal("12"), 1, "12"), (Decimal("12.04"), 1, "12.0"),
    (Decimal("12.25"), 2, "12.25"), (Decimal("3.00"), 2, "3"), (0, 1, "0"), (2.5, 1, "2.5"),
])
def test_short_number_shows_hours(value, places, shown):
    with translation.override("en"):
        rendered = Template("{% load xy_tags %}{{ x|short_number:places }}").render(
            Context({"x": value, "places": places}))
    assert rendered == shown


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_choice_labels_are_what_get_display_gives(language):
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

"""The portal's own template filters, and two helpers for code that builds rows in Python.

`{{ x|short_number }}` is `{{ x|floatformat:"-1" }}`, the way hours are shown: a whole
number without decimals ("12"), anything else to one place ("12.3");
`{{ x|short_number:2 }}` is `floatformat:"-2"`."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter(is_safe=True)
def short_number(value, places=1):
    return floatformat(value, f"-{places}")


def choice_labels(model, field_name: str) -> dict:
    """{value: label} of a field's choices in the active language, for rows built in
    Python (an export): `labels.get(row.x, row.x)` is `row.get_x_display()`."""
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}

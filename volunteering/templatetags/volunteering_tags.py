from django import template

from portal.access import display_name_for_partner

register = template.Library()


@register.filter
def partner_name(supervisee) -> str:
    """How organisers see a participant: alias or masked name; a juvenile, neutrally."""
    return display_name_for_partner(supervisee)


@register.filter
def hours(value) -> str:
    """2.50 → 2.5, 3.00 → 3, None → 0: hours as people write them."""
    if value in (None, ""):
        return "0"
    try:
        text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    except (TypeError, ValueError):
        return str(value)
    return text if text not in ("", "-0") else "0"

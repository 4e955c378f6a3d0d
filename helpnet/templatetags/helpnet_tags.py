from django import template

register = template.Library()


@register.simple_tag
def help_services(organisation):
    """A provider's active help services, for its public partner page (one query)."""
    from helpnet.models import Service

    if organisation is None or organisation.kind not in ("ngo", "counselling"):
        return []
    return list(Service.objects.filter(organisation=organisation, active=True)
                .order_by("name"))

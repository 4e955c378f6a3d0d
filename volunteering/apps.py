from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    label = "volunteering"
    verbose_name = _("Service and volunteering")

    def ready(self):
        from portal import access
        from portal.calendar.registry import register

        from . import signals  # noqa: F401
        from .calendar import events_for

        register(events_for)

        # A partner knows of the people who signed up for its own activities (by display
        # name only; never a juvenile: see portal.access.partner_visible_people).
        relation = "activity_signups__activity__organisation"
        if relation not in access.PARTNER_RELATIONS:
            access.PARTNER_RELATIONS.append(relation)

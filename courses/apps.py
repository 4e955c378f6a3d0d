from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from portal import access
        from portal.calendar.registry import register

        from .cache import connect_signals
        from .calendar import events_for

        register(events_for)
        connect_signals()
        # A partner's staff know of the people signed up for their organisation's classes
        # (by display name, never a juvenile: see portal.access.partner_visible_people).
        relation = "session_signups__session__course__provider_organisation"
        if relation not in access.PARTNER_RELATIONS:
            access.PARTNER_RELATIONS.append(relation)

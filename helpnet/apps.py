from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpnetConfig(AppConfig):
    name = "helpnet"
    label = "helpnet"
    verbose_name = _("Help network")

    def ready(self):
        from portal import access

        # A provider knows of the people who consented to a referral to it (`shared_with`
        # is set only then) and of those with an appointment in its slots (booked by the
        # person, or by the caseworker under a consented referral). Never a juvenile: see
        # portal.access.partner_visible_people.
        for relation in ("referrals__shared_with", "appointments__slot__organisation"):
            if relation not in access.PARTNER_RELATIONS:
                access.PARTNER_RELATIONS.append(relation)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    label = "employment"
    verbose_name = _("Employment help")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from portal import access
        from portal.taxonomy.models import District, Industry

        from .filters import options_changed

        for model in (District, Industry):
            post_save.connect(options_changed, sender=model,
                              dispatch_uid=f"employment-options-{model.__name__}")
            post_delete.connect(options_changed, sender=model,
                                dispatch_uid=f"employment-options-{model.__name__}")

        # An enterprise knows of the people whose applications were shared with it: they
        # applied, or agreed to a caseworker's recommendation (never a juvenile: see
        # portal.access.partner_visible_people). A recommendation not yet agreed to has no
        # `shared_with`, so it does not count.
        relation = "job_applications__shared_with"
        if relation not in access.PARTNER_RELATIONS:
            access.PARTNER_RELATIONS.append(relation)

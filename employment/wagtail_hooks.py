from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.viewsets import UnitAdministrationPolicy

from .models import HelpAgreement, TrainingBase
from .viewsets import (
    EmploymentAdminGroup,
    help_agreements_managed_by,
    training_bases_managed_by,
)

# Registered before the viewsets, so Wagtail never creates its model-permission fallback.
for _model, _scope in ((HelpAgreement, help_agreements_managed_by),
                       (TrainingBase, training_bases_managed_by)):
    register_permission_policy(_model, UnitAdministrationPolicy(_model, _scope),
                               exact_class=True)


@hooks.register("register_admin_viewset")
def register_employment_admin():
    return EmploymentAdminGroup()

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.access import memberships_managed_by, organisations_managed_by, units_administered_by
from portal.viewsets import UnitAdministrationPolicy

from .models import Membership, Organisation, Unit
from .viewsets import UnitAdministrationGroup

# Registered before the viewsets, so Wagtail never creates its model-permission fallback.
for _model, _scope in ((Unit, units_administered_by),
                       (Organisation, organisations_managed_by),
                       (Membership, memberships_managed_by)):
    register_permission_policy(_model, UnitAdministrationPolicy(_model, _scope), exact_class=True)


@hooks.register("register_admin_viewset")
def register_unit_administration():
    return UnitAdministrationGroup()

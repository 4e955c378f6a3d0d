from portal.access import organisations_managed_by, units_administered_by
from portal.organisations.models import Membership


def accounts_overview(user) -> dict:
    units = units_administered_by(user)
    staff = (
        Membership.objects.filter(unit__in=units).select_related("user", "unit")
        .order_by("unit__path", "user__display_name")
    )
    partners = (
        Membership.objects.filter(organisation__in=organisations_managed_by(user))
        .select_related("user", "organisation").order_by("organisation__name")
    )
    return {"staff": list(staff), "partner_staff": list(partners)}

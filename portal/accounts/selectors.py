"""Reads for the staff page. Who administers which units and partners is decided in
portal.access (units_administered_by, organisations_managed_by); these only compose it."""

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet

from portal.access import Role, actor_for, organisations_managed_by, units_administered_by


def can_manage_staff(user) -> bool:
    """The staff page (/staff/): unit administrators and superusers. Caseworkers, partner
    staff (managers too), editors and supervisees are refused."""
    return actor_for(user).has(Role.UNIT_ADMIN, Role.SUPERUSER)


def _editors_q(user) -> Q:
    """Content editors have no unit: a superuser sees them all, a unit administrator
    the ones they invited."""
    from .services import StaffRole

    q = Q(groups__name=StaffRole.EDITOR_GROUP)
    if not actor_for(user).has(Role.SUPERUSER):
        q &= Q(invitations__created_by=user)
    return q


def staff_memberships_for(user, *, search: str = "") -> QuerySet:
    """Memberships of the unit staff and partner staff `user` administers, unit staff
    first (in tree order), then partners by name."""
    from portal.organisations.models import Membership

    if not can_manage_staff(user):
        return Membership.objects.none()
    qs = Membership.objects.filter(
        Q(unit__in=units_administered_by(user))
        | Q(organisation__in=organisations_managed_by(user))
    )
    if search:
        qs = qs.filter(Q(user__username__icontains=search)
                       | Q(user__display_name__icontains=search)
                       | Q(user__phone__icontains=search))
    return qs.select_related("user", "unit", "organisation").order_by(
        F("unit__path").asc(nulls_last=True), "organisation__name",
        "user__display_name", "user__username", "pk",
    )


def editors_for(user, *, search: str = "") -> QuerySet:
    if not can_manage_staff(user):
        return get_user_model().objects.none()
    qs = get_user_model().objects.filter(_editors_q(user))
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(display_name__icontains=search))
    return qs.distinct().order_by("display_name", "username")


def staff_accounts_for(user) -> QuerySet:
    """Every account the staff page lets `user` look after."""
    from portal.organisations.models import Membership

    if not can_manage_staff(user):
        return get_user_model().objects.none()
    memberships = Membership.objects.filter(
        Q(unit__in=units_administered_by(user))
        | Q(organisation__in=organisations_managed_by(user))
    )
    return get_user_model().objects.filter(
        Q(pk__in=memberships.values("user_id")) | _editors_q(user)
    ).distinct()


def staff_account_for(user, pk):
    """One account from staff_accounts_for, or None (the view answers 404)."""
    try:
        return staff_accounts_for(user).get(pk=pk)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        return None

"""Who may see what: the one place that decides.

Every view, API endpoint and admin view asks these functions; none filters the ORM
on its own. Roles come from the account's memberships and supervisee record:

- supervisee: has a supervisee record; sees only their own.
- caseworker: a unit membership; sees the supervisees of that unit and the units below,
  except juveniles not assigned to them and sealed files.
- unit administrator: like a caseworker for the whole subtree, juveniles and sealed
  files included; manages accounts and partners of the unit.
- partner staff: an organisation membership; never sees correction status, never sees
  a juvenile; sees people only through their own organisation's activities, referrals
  and applications (the features add those relations here).
- content editor: Wagtail editors and moderators; no personal records.
- superuser: everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from portal.audit.services import access_log_record


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    SUPERVISEE = "supervisee"
    CASEWORKER = "caseworker"
    UNIT_ADMIN = "unit_admin"
    PARTNER_STAFF = "partner_staff"
    EDITOR = "editor"
    SUPERUSER = "superuser"


STAFF_ROLES = frozenset({Role.CASEWORKER, Role.UNIT_ADMIN, Role.EDITOR, Role.SUPERUSER})
EDITOR_GROUPS = ("Editors", "Moderators")


@dataclass(frozen=True)
class Actor:
    """What the policy needs to know about a user, read once per request."""

    user: object
    roles: frozenset[Role]
    units: tuple = ()  # Unit rows where the user is caseworker or administrator
    admin_units: tuple = ()
    organisations: tuple = ()
    supervisee_id: int | None = None
    _extra: dict = field(default_factory=dict, compare=False)

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff_role(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def organisation_ids(self) -> list[int]:
        return [o.pk for o in self.organisations]

    @property
    def primary_role(self) -> Role:
        for role in (Role.SUPERUSER, Role.UNIT_ADMIN, Role.CASEWORKER, Role.PARTNER_STAFF,
                     Role.EDITOR, Role.SUPERVISEE):
            if role in self.roles:
                return role
        return Role.ANONYMOUS


def actor_for(user) -> Actor:
    """The user's roles, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return Actor(user=user, roles=frozenset({Role.ANONYMOUS}))
    cached = getattr(user, "_xy_actor", None)
    if cached is not None:
        return cached
    from portal.organisations.models import Membership
    from portal.people.models import Supervisee

    roles: set[Role] = set()
    memberships = list(
        Membership.objects.filter(user=user).select_related("unit", "organisation")
    )
    units = tuple(m.unit for m in memberships if m.unit_id)
    admin_units = tuple(m.unit for m in memberships if m.role == Membership.Role.UNIT_ADMIN)
    organisations = tuple(
        m.organisation for m in memberships if m.organisation_id and m.organisation.is_active
    )
    if any(m.role == Membership.Role.CASEWORKER for m in memberships):
        roles.add(Role.CASEWORKER)
    if admin_units:
        roles.add(Role.UNIT_ADMIN)
    if organisations:
        roles.add(Role.PARTNER_STAFF)
    if user.is_superuser:
        roles.add(Role.SUPERUSER)
    if user.groups.filter(name__in=EDITOR_GROUPS).exists():
        roles.add(Role.EDITOR)
    supervisee_id = (
        Supervisee.objects.filter(user=user).values_list("pk", flat=True).first()
    )
    if supervisee_id:
        roles.add(Role.SUPERVISEE)
    actor = Actor(user=user, roles=frozenset(roles), units=units, admin_units=admin_units,
                  organisations=organisations, supervisee_id=supervisee_id)
    user._xy_actor = actor
    return actor


def _subtree_q(units, prefix: str) -> Q:
    if not units:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{prefix}path__startswith": u.path}) for u in units))


# --- Units -------------------------------------------------------------------------------

def units_visible_to(user) -> QuerySet:
    from portal.organisations.models import Unit

    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return Unit.objects.all()
    if actor.has(Role.CASEWORKER, Role.UNIT_ADMIN):
        return Unit.objects.filter(_subtree_q(actor.units, ""))
    return Unit.objects.none()


def units_administered_by(user) -> QuerySet:
    from portal.organisations.models import Unit

    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return Unit.objects.all()
    return Unit.objects.filter(_subtree_q(actor.admin_units, ""))


# --- Supervisees ---------------------------------------------------------------------------

def supervisees_visible_to(user) -> QuerySet:
    """Supervisee records this user may open as staff (not their own as a supervisee)."""
    from portal.people.models import Supervisee

    actor = actor_for(user)
    qs = Supervisee.objects.all()
    if actor.has(Role.SUPERUSER):
        return qs
    q = Q(pk__in=[])
    if actor.admin_units:
        q |= _subtree_q(actor.admin_units, "unit__")
    caseworker_units = [u for u in actor.units if u not in actor.admin_units]
    if caseworker_units:
        # A caseworker sees adults of their subtree, and the juveniles assigned to them;
        # sealed files stay with the administrators.
        q |= _subtree_q(caseworker_units, "unit__") & (
            Q(is_juvenile=False) | Q(caseworker=actor.user)
        ) & Q(is_sealed=False)
    return qs.filter(q)


def supervisee_for_staff(user, pk, *, what: str, path: str = "", action: str = "view"):
    """Open one record as staff: 404 when not visible (existence does not leak),
    and the read is logged."""
    from portal.people.models import Supervisee

    try:
        supervisee = (
            supervisees_visible_to(user)
            .select_related("unit", "caseworker", "home_district", "user")
            .get(pk=pk)
        )
    except (Supervisee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_log_record(actor=user, supervisee=supervisee, action=action, what=what, path=path)
    return supervisee


def own_supervisee(user):
    """The signed-in person's own record, or None."""
    from portal.people.models import Supervisee

    actor = actor_for(user)
    if actor.supervisee_id is None:
        return None
    return (
        Supervisee.objects.select_related("unit", "caseworker", "home_district")
        .get(pk=actor.supervisee_id)
    )


def can_manage_supervisee(user, supervisee) -> bool:
    """Edit the record, invite the person, record consents on their behalf."""
    return supervisees_visible_to(user).filter(pk=supervisee.pk).exists()


def can_create_supervisee_in(user, unit) -> bool:
    return units_visible_to(user).filter(pk=unit.pk).exists()


# --- Partners ------------------------------------------------------------------------------

def organisations_managed_by(user) -> QuerySet:
    """Organisations whose profile and staff this user may manage."""
    from portal.organisations.models import Membership, Organisation

    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return Organisation.objects.all()
    q = Q(memberships__user=user, memberships__role=Membership.Role.PARTNER_MANAGER)
    if actor.admin_units:
        q |= _subtree_q(actor.admin_units, "partner_unit__")
    return Organisation.objects.filter(q).distinct()


def partner_visible_people(user) -> QuerySet:
    """People a partner's staff may know of, by display name only. No juvenile ever;
    features widen this through their own relations (participants of the partner's
    activities, referrals the person consented to, applications)."""
    from portal.people.models import Supervisee

    return Supervisee.objects.none()


# --- Accounts ------------------------------------------------------------------------------

def can_invite(user) -> bool:
    return actor_for(user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER)


def can_use_wagtail_admin(user) -> bool:
    return actor_for(user).has(Role.EDITOR, Role.UNIT_ADMIN, Role.SUPERUSER)

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

The rules for supervisee records, in one list (tests/test_access_rules.py proves each):

1. A caseworker sees the supervisees of their unit and every unit below it, no others.
2. Juveniles only when assigned to that caseworker (Art. 54); a unit administrator sees
   every juvenile of the subtree they administer.
3. Sealed files only unit administrators (and superusers), even when assigned.
4. Partner staff and content editors see no supervisee record at all; what a partner may
   know of a person is a display name (display_name_for_partner) for the people
   partner_visible_people() returns, never a juvenile.
5. A supervisee sees only their own record, at /me/ (own_supervisee), never as staff.
6. Every staff read of one record goes through supervisee_for_staff, which logs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, reduce
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
# Group names are data (cms/migrations/0003 gave Wagtail's and the portal's Chinese names).
EDITORS_GROUP = "编辑"
MODERATORS_GROUP = "审核员"
EDITOR_GROUPS = (EDITORS_GROUP, MODERATORS_GROUP)


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


def memberships_of(user_id: int) -> list:
    """The account's memberships with their units and organisations, in one statement."""
    from portal.organisations.models import Membership

    return list(Membership.objects.filter(user_id=user_id)
                .select_related("unit", "organisation").order_by("pk"))


def actor_for(user) -> Actor:
    """The user's roles, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return Actor(user=user, roles=frozenset({Role.ANONYMOUS}))
    cached = getattr(user, "_xy_actor", None)
    if cached is not None:
        return cached
    from django.contrib.auth import get_user_model

    from portal.organisations.models import Membership

    # One statement for what the account row itself can answer (editor group, supervisee
    # record, whether any membership exists), a second only for accounts with memberships.
    # The account a request signs in with is loaded with these flags already
    # (`signed_in_user`, used by the authentication backend): then the first costs nothing.
    if hasattr(user, "xy_editor"):
        flags = (user.xy_editor, user.xy_member, user.xy_supervisee)
    else:
        flags = (
            _with_role_flags(get_user_model()._default_manager.filter(pk=user.pk))
            .values_list("xy_editor", "xy_member", "xy_supervisee")
            .first()
        ) or (False, False, None)
    is_editor, has_memberships, supervisee_id = flags

    roles: set[Role] = set()
    held = [(m.role, m.unit, m.organisation)
            for m in (memberships_of(user.pk) if has_memberships else [])]
    units = tuple(unit for _role, unit, _org in held if unit is not None)
    admin_units = tuple(unit for role, unit, _org in held if role == Membership.Role.UNIT_ADMIN)
    organisations = tuple(org for _role, _unit, org in held if org is not None and org.is_active)
    if any(role == Membership.Role.CASEWORKER for role, _unit, _org in held):
        roles.add(Role.CASEWORKER)
    if admin_units:
        roles.add(Role.UNIT_ADMIN)
    if organisations:
        roles.add(Role.PARTNER_STAFF)
    if user.is_superuser:
        roles.add(Role.SUPERUSER)
    if is_editor:
        roles.add(Role.EDITOR)
    if supervisee_id:
        roles.add(Role.SUPERVISEE)
    actor = Actor(user=user, roles=frozenset(roles), units=units, admin_units=admin_units,
                  organisations=organisations, supervisee_id=supervisee_id)
    user._xy_actor = actor
    return actor


def _with_role_flags(qs: QuerySet) -> QuerySet:
    from django.contrib.auth.models import Group
    from django.db.models import Exists, OuterRef, Subquery

    from portal.organisations.models import Membership
    from portal.people.models import Supervisee

    return qs.annotate(
        xy_editor=Exists(Group.objects.filter(user=OuterRef("pk"), name__in=EDITOR_GROUPS)),
        xy_member=Exists(Membership.objects.filter(user=OuterRef("pk"))),
        xy_supervisee=Subquery(Supervisee.objects.filter(user=OuterRef("pk")).values("pk")[:1]),
    )


def signed_in_user(pk):
    """The account behind a session, as every signed-in request loads it (the
    authentication backend's get_user): in one statement with what `actor_for` needs
    first (the roles' flags), whether the account has an authenticator app (staff
    two-factor) and the number of unread messages (the menu's badge). None when there is
    no such account. An account with memberships has them read by `actor_for`.

    The statement is plain SQL through `User.objects.raw()` (its text is the same on every
    request, so PostgreSQL plans it once per connection): building the same query with
    the ORM's annotations cost more than the rest of a simple page."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    found = list(User._default_manager.raw(_signed_in_sql(), [*EDITOR_GROUPS, pk]))
    if not found:
        return None
    user = found[0]
    # SQLite answers EXISTS with 0 or 1.
    for flag in ("xy_editor", "xy_member", "xy_staff_member", "xy_totp"):
        setattr(user, flag, bool(getattr(user, flag)))
    user.xy_unread = int(user.xy_unread or 0)
    return user


@cache
def _signed_in_sql() -> str:
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from portal.notifications.models import Notification
    from portal.organisations.models import Membership
    from portal.people.models import Supervisee

    User = get_user_model()
    q = connection.ops.quote_name
    groups = User._meta.get_field("groups").remote_field.through._meta.db_table
    columns = ", ".join(f"u.{q(f.column)}" for f in User._meta.concrete_fields)
    staff_roles = ", ".join(f"'{role}'" for role in (Membership.Role.CASEWORKER,
                                                       Membership.Role.UNIT_ADMIN))
    return (
        f"SELECT {columns}, "
        f"EXISTS(SELECT 1 FROM {q(groups)} ug INNER JOIN {q(Group._meta.db_table)} g "
        f"ON g.{q('id')} = ug.{q('group_id')} WHERE ug.{q('user_id')} = u.{q('id')} "
        f"AND g.{q('name')} IN (%s, %s)) AS xy_editor, "
        f"EXISTS(SELECT 1 FROM {q(Membership._meta.db_table)} m "
        f"WHERE m.{q('user_id')} = u.{q('id')}) AS xy_member, "
        f"(SELECT s.{q('id')} FROM {q(Supervisee._meta.db_table)} s "
        f"WHERE s.{q('user_id')} = u.{q('id')} LIMIT 1) AS xy_supervisee, "
        f"EXISTS(SELECT 1 FROM {q(Membership._meta.db_table)} m "
        f"WHERE m.{q('user_id')} = u.{q('id')} AND m.{q('role')} IN ({staff_roles})) "
        f"AS xy_staff_member, "
        f"EXISTS(SELECT 1 FROM {q(Authenticator._meta.db_table)} a "
        f"WHERE a.{q('user_id')} = u.{q('id')} "
        f"AND a.{q('type')} = '{Authenticator.Type.TOTP}') AS xy_totp, "
        f"(SELECT COUNT(*) FROM {q(Notification._meta.db_table)} n "
        f"WHERE n.{q('recipient_id')} = u.{q('id')} AND n.{q('read_at')} IS NULL) "
        f"AS xy_unread "
        f"FROM {q(User._meta.db_table)} u WHERE u.{q('id')} = %s"
    )


def is_staff_role(user) -> bool:
    """Whether the user holds a staff role (caseworker, unit administrator, editor,
    superuser): `actor_for(user).is_staff_role`, answered from the flags the signed-in
    account was loaded with when it was (no membership query), else by `actor_for`."""
    if user is None or not user.is_authenticated:
        return False
    if hasattr(user, "xy_staff_member"):
        return bool(user.is_superuser or user.xy_editor or user.xy_staff_member)
    return actor_for(user).is_staff_role


def _subtree_q(units, prefix: str) -> Q:
    if not units:
        return Q(pk__in=[])
    return _paths_q([u.path for u in units], prefix)


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


def can_use_caseload(user) -> bool:
    """The staff pages about supervisees (/people/): caseworkers, unit administrators and
    superusers. Editors and partner staff are refused (403)."""
    return actor_for(user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER)


def can_read_unit_access_log(user) -> bool:
    """The unit-wide access log (/people/access-log/): unit administrators, superusers."""
    return actor_for(user).has(Role.UNIT_ADMIN, Role.SUPERUSER)


def unit_staff(units) -> QuerySet:
    """Accounts with a caseworker or administrator membership in one of `units`."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model().objects.filter(memberships__unit__in=units, is_active=True)
        .distinct().order_by("display_name", "username")
    )


def caseworkers_choosable_by(user) -> QuerySet:
    """Whom this user may name as a supervisee's caseworker: staff of the units they see."""
    return unit_staff(units_visible_to(user))


def can_be_caseworker_in(candidate, unit) -> bool:
    """A caseworker must be able to open the record: a member of the person's unit or of a
    unit above it (a member of a sibling squad would be assigned a file they cannot see)."""
    from portal.organisations.models import Membership

    if candidate is None or unit is None:
        return True
    lineage = [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    return Membership.objects.filter(
        user=candidate, unit__path__in=lineage, role__in=Membership.UNIT_ROLES
    ).exists()


def can_seal_in(user, unit) -> bool:
    """Sealing a juvenile's file is for the administrators of its unit."""
    return unit is not None and units_administered_by(user).filter(pk=unit.pk).exists()


# --- Supervisees ---------------------------------------------------------------------------

def supervisees_visible_to(user) -> QuerySet:
    """Supervisee records this user may open as staff (not their own as a supervisee)."""

    return supervisees_in_scope(staff_scope(user), getattr(user, "pk", None))


ALL_UNITS = ("all",)


def staff_scope(user) -> tuple:
    """What decides which records `user` may open as staff, as a key: ALL_UNITS for a
    superuser, else (the paths of the units they administer, the paths of the other units
    they work in). `supervisees_in_scope(staff_scope(user), user.pk)` is
    supervisees_visible_to(user)."""
    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return ALL_UNITS
    admin = tuple(sorted({u.path for u in actor.admin_units}))
    others = tuple(sorted({u.path for u in actor.units if u not in actor.admin_units}))
    return (admin, others)


def scope_names_viewer(scope: tuple) -> bool:
    """Whether supervisees_in_scope(scope, viewer_id) depends on the viewer's id (the
    juveniles assigned to a caseworker)."""
    return scope != ALL_UNITS and bool(scope[1])


def supervisees_in_scope(scope: tuple, viewer_id) -> QuerySet:
    from portal.people.models import Supervisee

    qs = Supervisee.objects.all()
    if scope == ALL_UNITS:
        return qs
    return qs.filter(scope_q(scope, viewer_id))


def units_in_scope(scope: tuple) -> QuerySet:
    """units_for_dashboard(user) from staff_scope(user): the units of every unit they
    administer or work in, with all below them (every unit for a superuser)."""
    from portal.organisations.models import Unit

    if scope == ALL_UNITS:
        return Unit.objects.all()
    paths = scope[0] + scope[1]
    return Unit.objects.filter(_paths_q(list(paths), "")) if paths else Unit.objects.none()


def scope_q(scope: tuple, viewer_id, prefix: str = "") -> Q:
    """supervisees_in_scope(scope, viewer_id) as a Q on the person's fields; `prefix`
    ("supervisee__") puts it on the rows of a table that names the person, so that a
    page's aggregate joins the person directly rather than through a list of ids (Q()
    for ALL_UNITS). A table that keeps copies of the person's unit, caseworker and flags
    (the waiting hours' person_unit, …) takes the prefix of its copies ("person_")."""
    if scope == ALL_UNITS:
        return Q()
    admin_paths, caseworker_paths = scope
    q = Q(pk__in=[])  # nothing, before the paths are added
    if admin_paths:
        q |= _paths_q(admin_paths, f"{prefix}unit__")
    if caseworker_paths:
        # A caseworker sees adults of their subtree, and the juveniles assigned to them;
        # sealed files stay with the administrators.
        q |= _paths_q(caseworker_paths, f"{prefix}unit__") & (
            Q(**{f"{prefix}is_juvenile": False}) | Q(**{f"{prefix}caseworker_id": viewer_id})
        ) & Q(**{f"{prefix}is_sealed": False})
    return q


def _paths_q(paths, prefix: str) -> Q:
    return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in paths))


def supervisee_for_staff(user, pk, *, what: str, path: str = "", action: str = "view"):
    """Open one record as staff: 404 when not visible (existence does not leak),
    and the read is logged. Every staff page and export about one person uses this."""
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


PERSON_RELATED = ("unit", "caseworker", "home_district")


def own_supervisee(user, *, related=PERSON_RELATED):
    """The signed-in person's own record, or None; with the `related` rows joined in (the
    person's pages about courses need none of them)."""
    from portal.people.models import Supervisee

    actor = actor_for(user)
    if actor.supervisee_id is None:
        return None
    qs = Supervisee.objects.select_related(*related) if related else Supervisee.objects
    return qs.get(pk=actor.supervisee_id)


def can_manage_supervisee(user, supervisee) -> bool:
    """Edit the record, invite the person, record consents on their behalf."""
    return supervisees_visible_to(user).filter(pk=supervisee.pk).exists()


def can_create_supervisee_in(user, unit) -> bool:
    return units_visible_to(user).filter(pk=unit.pk).exists()


# --- Access log ----------------------------------------------------------------------------

def access_log_visible_to(user) -> QuerySet:
    """Access-log entries a unit administrator may read: reads of the records of their
    subtree, and entries without a person (lists, exports) written by their units' staff.
    Superusers read all; everyone else none."""
    from portal.audit.models import AccessLogEntry
    from portal.organisations.models import Membership

    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return AccessLogEntry.objects.all()
    if not actor.admin_units:
        return AccessLogEntry.objects.none()
    unit_members = Membership.objects.filter(
        _subtree_q(actor.admin_units, "unit__")).values("user_id")
    return AccessLogEntry.objects.filter(
        _subtree_q(actor.admin_units, "supervisee__unit__")
        | Q(supervisee__isnull=True, actor_id__in=unit_members)
    )


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


# How a person comes to be known to a partner organisation: lookups from Supervisee to the
# partner's Organisation, one per relation a feature adds (the person signed up for the
# partner's activity, was referred to it with consent, applied to its job). Features append
# the lookup here, e.g. "activity_signups__activity__organisation", so that this module
# stays the one place that decides. With none, partners know of nobody.
PARTNER_RELATIONS: list[str] = []


def partner_visible_people(user) -> QuerySet:
    """People a partner's staff may know of, by display name only (display_name_for_partner)
    and only through their own organisations' relations (PARTNER_RELATIONS).

    Never a juvenile (Art. 52, 54), never a sealed file; never anyone for a user without an
    active partner membership. Staff roles do not come through here: they use
    supervisees_visible_to."""
    from portal.people.models import Supervisee

    actor = actor_for(user)
    org_ids = actor.organisation_ids
    if not org_ids or not PARTNER_RELATIONS:
        return Supervisee.objects.none()
    q = reduce(or_, (Q(**{f"{lookup}__in": org_ids}) for lookup in PARTNER_RELATIONS))
    return (
        Supervisee.objects.filter(q)
        .exclude(is_juvenile=True).exclude(is_sealed=True).distinct()
    )


def display_name_for_partner(supervisee) -> str:
    """What a partner, a certificate or a public page may call the person: the alias staff
    chose, else the masked legal name (张三丰 → 张**). A juvenile gets neither: a neutral
    label, so not even the surname leaves the unit."""
    from django.utils.translation import gettext

    if supervisee.is_juvenile:
        return gettext("Participant")
    return supervisee.alias or supervisee.masked_name


# --- Accounts ------------------------------------------------------------------------------

def can_invite(user) -> bool:
    return actor_for(user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER)


def can_use_wagtail_admin(user) -> bool:
    return actor_for(user).has(Role.EDITOR, Role.UNIT_ADMIN, Role.SUPERUSER)


# --- Wagtail admin: unit administration ----------------------------------------------------
#
# A unit administrator needs no group, flag or is_staff on the account: the unit_admin
# membership is enough. RolePermissionBackend (settings.AUTHENTICATION_BACKENDS) grants
# such a user the permissions of the "Unit administrators" group (单位管理员, created by
# portal/organisations/migrations: Wagtail admin access and read access to the
# province-wide lists, targets and the access log), so the permission follows the
# membership and cannot drift from it; superusers can widen it by editing that group.
#
# Units, partners and memberships are not Django model permissions at all: their Wagtail
# permission policy asks can_administer_units() and the scopes below. A model permission
# would be all-or-nothing across counties, and Wagtail's site-history report would then
# list other counties' staff changes to every unit administrator.

UNIT_ADMIN_GROUP = "单位管理员"


def can_administer_units(user) -> bool:
    """The unit-administration screens (units, partners, memberships in the Wagtail
    admin): unit administrators for their subtree, superusers for everything."""
    return actor_for(user).has(Role.UNIT_ADMIN, Role.SUPERUSER)


def role_permissions(user) -> frozenset[str]:
    """Django permissions ("app_label.codename") the user's roles bring with them."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_xy_role_perms", None)
    if cached is not None:
        return cached
    perms: frozenset[str] = frozenset()
    if actor_for(user).has(Role.UNIT_ADMIN):
        from django.contrib.auth.models import Permission

        perms = frozenset(
            f"{app_label}.{codename}" for app_label, codename in
            Permission.objects.filter(group__name=UNIT_ADMIN_GROUP)
            .values_list("content_type__app_label", "codename")
        )
    user._xy_role_perms = perms
    return perms


class RolePermissionBackend:
    """Authenticates nobody; answers has_perm() from portal.access roles."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        return set() if obj is not None else set(role_permissions(user_obj))

    def has_perm(self, user_obj, perm, obj=None):
        return obj is None and perm in role_permissions(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in role_permissions(user_obj))


def memberships_managed_by(user) -> QuerySet:
    """Memberships a unit administrator may add, change and end: staff of the units they
    administer and of the partners attached to those units. Never their own (nobody
    promotes or locks out themselves); superusers manage all."""
    from portal.organisations.models import Membership

    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return Membership.objects.all()
    if not actor.admin_units:
        return Membership.objects.none()
    partner_ids = organisations_managed_by(user).values("pk")
    return Membership.objects.filter(
        _subtree_q(actor.admin_units, "unit__") | Q(organisation__in=partner_ids)
    ).exclude(user=user)


def accounts_assignable_by(user) -> QuerySet:
    """Accounts a unit administrator may give a membership: active accounts that are not
    supervisees and not superusers, and either belong nowhere yet (a new staff account)
    or already work in what this administrator manages. Accounts of other counties stay
    out of sight."""
    from django.contrib.auth import get_user_model

    from portal.people.models import Supervisee

    User = get_user_model()
    qs = User.objects.filter(is_active=True).exclude(
        pk__in=Supervisee.objects.values("user_id"))
    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return qs
    qs = qs.filter(is_superuser=False)
    if not actor.admin_units:
        return qs.none()
    managed = memberships_managed_by(user).values("user_id")
    return qs.filter(Q(memberships__isnull=True) | Q(pk__in=managed)).distinct()


# --- Help network (helpnet) ---------------------------------------------------------
#
# Referrals: staff see the referrals of the people they see; a provider's staff see a
# referral only once the person consented (Referral.shared_with is set then, and only
# then); the person sees their own. A juvenile may be referred to a provider too (help for
# juveniles matters most), but the provider never learns who they are: every partner-facing
# page and answer names them display_name_for_partner() ("Participant"), shows no age,
# unit or correction status, and partner_visible_people() still never returns them.
#
# Session notes: only the staff of the counselling provider that held the session, not
# caseworkers, unit administrators, superusers or the person (PIPL Art. 28: counselling).


def helpnet_provider_ids(user, *, counselling_only: bool = False) -> list[int]:
    """Active NGO and counselling organisations the user works for."""
    kinds = ("counselling",) if counselling_only else ("ngo", "counselling")
    return [o.pk for o in actor_for(user).organisations if o.kind in kinds]


def is_helpnet_provider(user) -> bool:
    return bool(helpnet_provider_ids(user))


def can_refer(user, supervisee) -> bool:
    """Caseworkers and unit administrators who may see the person refer them."""
    return actor_for(user).has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER) and (
        supervisees_visible_to(user).filter(pk=supervisee.pk).exists())


def can_answer_referral(user, referral) -> bool:
    """The provider's staff answer, log sessions and close; only once it is shared."""
    return referral.shared_with_id is not None and (
        referral.shared_with_id in helpnet_provider_ids(user))


def can_read_session_notes(user, appointment) -> bool:
    """Only the counselling provider's own staff; nobody else, superusers included."""
    return appointment.slot.organisation_id in helpnet_provider_ids(user, counselling_only=True)


def can_decide_fund(user, application) -> bool:
    """Approve, reject and record payment: administrators of the person's unit (or above)."""
    actor = actor_for(user)
    if actor.has(Role.SUPERUSER):
        return True
    unit = application.supervisee.unit
    return any(unit.path.startswith(u.path) for u in actor.admin_units) and (
        supervisees_visible_to(user).filter(pk=application.supervisee_id).exists())


# --- Casework: today list, unit dashboards and reports ---------------------------------------

def units_for_dashboard(user) -> QuerySet:
    """Units whose outcome dashboard and reports this user may open: the units they see."""
    return units_visible_to(user)


def unit_for_staff(user, pk):
    """One unit of the user's subtree, or 404 (another county's unit does not exist for
    them). Staff only; callers check can_use_caseload first."""
    from portal.organisations.models import Unit

    try:
        return units_for_dashboard(user).get(pk=pk)
    except (ValueError, TypeError, Unit.DoesNotExist):
        raise Http404 from None


def home_unit_for(user):
    """The unit a staff member's dashboard opens on: the highest unit they belong to
    (for a superuser, the first top-level unit)."""
    actor = actor_for(user)
    if actor.units:
        return min(actor.units, key=lambda u: (len(u.path), u.path))
    if actor.has(Role.SUPERUSER):
        from portal.organisations.models import Unit

        return Unit.get_root_nodes().order_by("path").first()
    return None

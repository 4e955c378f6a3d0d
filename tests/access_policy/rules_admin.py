"""Access policy for the Wagtail admin (/admin/).

Who gets in at all: anonymous visitors are sent to the portal's login; signed-in people
without Wagtail admin access (supervisees, caseworkers, partner staff) get the portal's
403 page (StaffTwoFactorMiddleware answers it instead of Wagtail's redirect to the login,
which would loop for someone already signed in). Editors, unit administrators (by their
membership, portal.access.RolePermissionBackend) and superusers get in; inside, a screen
their permissions do not cover sends them back to the admin home with a message
(Wagtail's permission_denied: REDIRECT).

The unit-administration screens (units, partners, memberships: portal/organisations
viewsets) are scoped by portal.access in every view: an object outside the unit
administrator's subtree is 404, the same as one that does not exist. Province-wide lists
(taxonomy, monthly targets) and the access log are read-only for unit administrators.

Wagtail's own screens are declared by URL-name prefix (the runner checks every one that
takes no arguments); their behaviour comes from Wagtail's permissions: pages, images,
documents and forms are the editors'; users, groups, sites, workflows, collections and
redirects the superusers'."""

from tests.access_policy.spec import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    REDIRECT_LOGIN,
    PrefixRule,
    Rule,
    expect,
)

# Signed in without admin access: the portal's 403 page.
_OUTSIDERS = dict(anonymous=REDIRECT_LOGIN)


def _admin(unit_admin, editor, superuser):
    return expect(FORBIDDEN, **_OUTSIDERS, unit_admin=unit_admin, editor=editor,
                  superuser=superuser)


ADMIN_AREA = _admin(OK, OK, OK)  # anyone with admin access
EDITORS = _admin(REDIRECT, OK, OK)  # pages, images, documents, forms
SUPERUSERS = _admin(REDIRECT, REDIRECT, OK)  # users, groups, sites, province-wide lists
UNIT_ADMINS = _admin(OK, REDIRECT, OK)  # unit administration, read access to the lists
ADMIN_404 = _admin(NOT_FOUND, NOT_FOUND, NOT_FOUND)
EVERYONE_TO_LOGIN = expect(REDIRECT_LOGIN)


# --- objects the World lacks, made once per test run ----------------------------------------

def _other_county(w):
    """A second county the World's unit administrator must never reach."""
    from portal.organisations.models import Membership, Organisation, Unit
    from tests import factories as f

    bureau = Unit.objects.filter(name="邻县司法局", depth=1).first() or f.unit_create("邻县司法局")
    squad = bureau.get_children().first() or f.unit_create("邻县一中队", kind="squad",
                                                           parent=bureau)
    partner, _ = Organisation.objects.get_or_create(
        name="邻县社工站", defaults={"kind": "ngo", "partner_unit": bureau})
    membership = Membership.objects.filter(unit=squad).first() or Membership.objects.get(
        user=f.caseworker_create(squad, username="neighbour_caseworker"))
    return {"bureau": bureau, "squad": squad, "partner": partner, "membership": membership}


def _empty_unit(w):
    from portal.organisations.models import Unit

    squad = Unit.objects.get(pk=w.squad2.pk)
    return squad.get_children().filter(name="空司法所").first() or squad.add_child(
        name="空司法所", kind="justice_office")


def _empty_partner(w):
    from portal.organisations.models import Organisation

    return Organisation.objects.get_or_create(
        name="无人机构", defaults={"kind": "ngo", "partner_unit": w.squad1})[0]


def _membership(w, role):
    from portal.organisations.models import Membership

    return Membership.objects.get(user=w.users[role])


def _skill(w):
    from tests import factories as f

    return f.SkillFactory(code="policy-skill", name="访问策略技能")


def _target(w):
    from portal.people.models import LevelTarget

    return LevelTarget.objects.get(level="ordinary")


def _pk(get):
    return lambda w: {"pk": get(w).pk}


UNKNOWN = lambda w: {"pk": 987654321}  # noqa: E731

# --- the unit-administration screens -----------------------------------------------------

# What a unit administrator gets on an object inside / outside their subtree.
IN_SCOPE = UNIT_ADMINS
OUT_OF_SCOPE = _admin(NOT_FOUND, REDIRECT, OK)
NOWHERE = _admin(NOT_FOUND, REDIRECT, NOT_FOUND)
# An object whose deletion is refused (children, people, staff): back to its edit screen.
DELETE_REFUSED = _admin(REDIRECT, REDIRECT, REDIRECT)


def scoped_object_rules(namespace, variants, views=("edit", "history", "history_results",
                                                     "usage")):
    """One rule per object view and per variant (label, args, expect)."""
    return [Rule(f"{namespace}:{view}", expected, args=args, label=label)
            for view in views for label, args, expected in variants]


UNIT_VARIANTS = [
    ("a squad of my county", lambda w: {"pk": w.squad1.pk}, IN_SCOPE),
    ("another county's squad", lambda w: {"pk": _other_county(w)["squad"].pk}, OUT_OF_SCOPE),
    ("unknown id", UNKNOWN, NOWHERE),
]
PARTNER_VARIANTS = [
    ("my county's NGO", lambda w: {"pk": w.ngo.pk}, IN_SCOPE),
    ("another county's NGO", lambda w: {"pk": _other_county(w)["partner"].pk}, OUT_OF_SCOPE),
    ("unknown id", UNKNOWN, NOWHERE),
]
MEMBERSHIP_VARIANTS = [
    ("a caseworker of my county", _pk(lambda w: _membership(w, "caseworker")), IN_SCOPE),
    ("another county's caseworker", lambda w: {"pk": _other_county(w)["membership"].pk},
     OUT_OF_SCOPE),
    # Nobody manages their own membership (no self-promotion, no locking oneself out).
    ("my own membership", _pk(lambda w: _membership(w, "unit_admin")), OUT_OF_SCOPE),
    ("unknown id", UNKNOWN, NOWHERE),
]

UNIT_ADMINISTRATION = [
    *(Rule(f"{ns}:{view}", UNIT_ADMINS)
      for ns in ("xy_units", "xy_partners", "xy_memberships")
      for view in ("index", "index_results", "add")),
    Rule("xy_units:index", UNIT_ADMINS, label="search and bad filter",
         query="q=%E4%B8%AD%E9%98%9F&kind=nonsense&ordering=evil"),
    Rule("xy_units:add", UNIT_ADMINS, method="POST", label="empty form re-rendered"),
    Rule("xy_memberships:add", UNIT_ADMINS, method="POST", label="empty form re-rendered"),
    *scoped_object_rules("xy_units", UNIT_VARIANTS),
    *scoped_object_rules("xy_partners", PARTNER_VARIANTS),
    *scoped_object_rules("xy_memberships", MEMBERSHIP_VARIANTS),
    # Delete screens: a unit or partner still in use is refused (back to its edit screen),
    # an empty one shows the confirmation.
    Rule("xy_units:delete", DELETE_REFUSED, args=lambda w: {"pk": w.squad1.pk},
         label="a squad with people"),
    Rule("xy_units:delete", IN_SCOPE, args=_pk(_empty_unit), label="an empty unit of mine"),
    # (its staff keep even a superuser from deleting it)
    Rule("xy_units:delete", _admin(NOT_FOUND, REDIRECT, REDIRECT),
         label="another county's squad", args=lambda w: {"pk": _other_county(w)["squad"].pk}),
    Rule("xy_units:delete", NOWHERE, args=UNKNOWN, label="unknown id"),
    Rule("xy_units:delete", _admin(NOT_FOUND, REDIRECT, REDIRECT), method="POST",
         label="crafted POST for another county's squad",
         args=lambda w: {"pk": _other_county(w)["squad"].pk}),
    Rule("xy_partners:delete", DELETE_REFUSED, args=lambda w: {"pk": w.ngo.pk},
         label="a partner with staff"),
    Rule("xy_partners:delete", IN_SCOPE, args=_pk(_empty_partner), label="an empty partner"),
    Rule("xy_partners:delete", OUT_OF_SCOPE, label="another county's NGO",
         args=lambda w: {"pk": _other_county(w)["partner"].pk}),
    Rule("xy_partners:delete", NOWHERE, args=UNKNOWN, label="unknown id"),
    *scoped_object_rules("xy_memberships", MEMBERSHIP_VARIANTS, views=("delete",)),
    Rule("xy_memberships:edit", _admin(NOT_FOUND, REDIRECT, OK), method="POST",
         label="crafted POST promoting another county's caseworker",
         data={"role": "unit_admin"},
         args=lambda w: {"pk": _other_county(w)["membership"].pk}),
]

# --- province-wide lists, targets, access log ----------------------------------------------

READ_ONLY_LISTS = []
for _ns in ("xy_districts", "xy_skills", "xy_industries", "xy_venue_types", "xy_targets"):
    READ_ONLY_LISTS += [Rule(f"{_ns}:index", UNIT_ADMINS),
                        Rule(f"{_ns}:index_results", UNIT_ADMINS),
                        Rule(f"{_ns}:add", SUPERUSERS)]
for _ns in ("xy_districts", "xy_industries", "xy_venue_types"):
    READ_ONLY_LISTS += [Rule(f"{_ns}:{view}", _admin(REDIRECT, REDIRECT, NOT_FOUND),
                             args=UNKNOWN, label="unknown id")
                        for view in ("edit", "delete", "history", "history_results", "usage")]
for _ns, _get in (("xy_skills", _skill), ("xy_targets", _target)):
    READ_ONLY_LISTS += [Rule(f"{_ns}:{view}", SUPERUSERS, args=_pk(_get))
                        for view in ("edit", "delete", "history", "history_results", "usage")]
READ_ONLY_LISTS += [
    # Saved (and back to the list) for a superuser; refused for everyone else.
    Rule("xy_targets:edit", _admin(REDIRECT, REDIRECT, REDIRECT), method="POST",
         label="crafted POST",
         args=_pk(_target), data={"level": "ordinary", "study_hours": "0",
                                  "service_hours": "0"}),
    Rule("xy_access_log:index", UNIT_ADMINS),
    Rule("xy_access_log:index_results", UNIT_ADMINS),
    Rule("xy_access_log:index", UNIT_ADMINS, label="bad filter values",
         query="action=nonsense&at_after=not-a-date&what=%25"),
]

# --- Wagtail's own screens -----------------------------------------------------------------

WAGTAIL = [
    # Anything under /admin/ not decided by a longer prefix or a rule: the admin's door.
    PrefixRule("/admin/", ADMIN_AREA, reason="Wagtail admin: admin access required"),
    PrefixRule("wagtailadmin", ADMIN_AREA, reason="Wagtail admin: admin access required"),
    Rule("wagtailadmin_login", EVERYONE_TO_LOGIN),
    # GET is not how one signs out (POST is); outsiders never get that far.
    Rule("wagtailadmin_logout", _admin(BAD_REQUEST, BAD_REQUEST, BAD_REQUEST)),
    # Wagtail's password reset is switched off (the portal's own is used).
    PrefixRule("wagtailadmin_password_reset",
               expect(FORBIDDEN, anonymous=NOT_FOUND, unit_admin=NOT_FOUND, editor=NOT_FOUND,
                      superuser=NOT_FOUND)),
    # Static helpers the admin's own pages load; nothing personal in them.
    Rule("wagtailadmin_sprite", expect(FORBIDDEN, anonymous=OK, unit_admin=OK, editor=OK,
                                       superuser=OK)),
    Rule("wagtailadmin_javascript_catalog", expect(FORBIDDEN, anonymous=OK, unit_admin=OK,
                                                   editor=OK, superuser=OK)),
    Rule("wagtailadmin_error_test", ADMIN_AREA,
         skip_reason="Wagtail's deliberate error page: it raises to test error reporting"),
    # Lookups that need a query (?html_path=, a block): 404 without one.
    *(Rule(f"wagtailadmin_api:{kind}:find", ADMIN_404)
      for kind in ("pages", "documents", "images")),
    Rule("wagtailadmin_block_preview", ADMIN_404),
    # Pages: the editors'.
    PrefixRule("wagtailadmin_explore", EDITORS),
    PrefixRule("wagtailadmin_pages", EDITORS),
    PrefixRule("wagtailadmin_reports", EDITORS),
    Rule("wagtailadmin_reports:site_history", ADMIN_AREA),
    Rule("wagtailadmin_reports:site_history_results", ADMIN_AREA),
    Rule("wagtailadmin_reports:locked_pages", SUPERUSERS),
    Rule("wagtailadmin_reports:locked_pages_results", SUPERUSERS),
    PrefixRule("wagtailadmin_collections", SUPERUSERS),
    PrefixRule("wagtailadmin_workflows", SUPERUSERS),
    Rule("wagtailadmin_workflows:select_task_type", _admin(REDIRECT, REDIRECT, REDIRECT)),
    Rule("wagtailadmin_workflows:task_chooser", ADMIN_AREA),
    Rule("wagtailadmin_workflows:task_chooser_results", ADMIN_AREA),
    Rule("wagtailadmin_workflows:task_chooser_create", ADMIN_AREA),
    PrefixRule("wagtail_bulk_action", ADMIN_AREA),
    PrefixRule("wagtailembeds", ADMIN_AREA),
    PrefixRule("wagtailforms", EDITORS),
    PrefixRule("wagtailimages", EDITORS),
    PrefixRule("wagtaildocs", EDITORS),
    PrefixRule("wagtailimages_chooser", ADMIN_AREA),
    PrefixRule("wagtaildocs_chooser", ADMIN_AREA),
    Rule("wagtailimages_chooser:create", EDITORS),
    Rule("wagtaildocs_chooser:create", EDITORS),
    PrefixRule("wagtailsites", SUPERUSERS),
    PrefixRule("wagtailusers", SUPERUSERS),
    PrefixRule("wagtailredirects", SUPERUSERS),
    Rule("wagtailredirects:process_import", _admin(REDIRECT, REDIRECT, BAD_REQUEST)),
    PrefixRule("wagtailsettings", SUPERUSERS),
    # Snippets: the index of snippet types, and each snippet's screens by its permissions
    # (the snippet models belong to courses and volunteering; their owners may move these
    # rules to their own files).
    PrefixRule("wagtailsnippets", SUPERUSERS),
    PrefixRule("wagtailsnippets_courses_coursecategory", EDITORS),
    PrefixRule("wagtailsnippetchoosers", ADMIN_AREA),
    Rule("wagtailsnippetchoosers_courses_coursecategory:create", EDITORS),
    Rule("wagtailsnippetchoosers_volunteering_theme:create", SUPERUSERS),
]

RULES = [*UNIT_ADMINISTRATION, *READ_ONLY_LISTS, *WAGTAIL]

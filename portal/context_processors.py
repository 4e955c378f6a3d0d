from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.access import Role, actor_for
from portal.fragments import fragment_context


class Menu:
    """The (label, url) entries of an actor's menu, worked out when first read: base.html
    keeps the rendered menu as a fragment keyed on `key`, so most requests never read
    them."""

    def __init__(self, actor):
        self.actor = actor

    @cached_property
    def items(self) -> list:
        return list(_menu(self.actor))

    @property
    def key(self) -> str:
        """What the menu depends on: the roles and the kinds of partner organisation."""
        return "{}|{}".format(",".join(sorted(self.actor.roles)),
                              ",".join(sorted({org.kind for org in self.actor.organisations})))

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def _header_page(request) -> tuple[str, int]:
    """The page part of the header fragment's key, and how long the fragment is kept.

    The menu marks the entry of the page it is on; every entry is a page the URLconf names
    without arguments, or the home page. So only those pages need a header of their own;
    pages with arguments (a record, a CMS page) share one, and an address nothing answers
    renders it afresh rather than keeping a copy per address anyone may type."""
    match = getattr(request, "resolver_match", None)
    if request.path == "/" or (match is not None and not match.args and not match.kwargs):
        return request.path, HEADER_SECONDS
    if match is not None:
        return "", HEADER_SECONDS
    return request.path, 0


HEADER_SECONDS = 300


def navigation(request):
    """The menu each role sees: only what it can do; the labels stay lazy, translated
    when shown. And what cached template fragments are keyed on (portal/fragments.py)."""
    user = getattr(request, "user", None)
    actor = actor_for(user)
    page, seconds = _header_page(request)
    fragments = {"header_page": page, "header_seconds": seconds, **fragment_context()}
    if not user or not user.is_authenticated:
        return {"nav_items": [(_("Home"), "/")], "menu_key": "anonymous", "actor": actor,
                "unread_count": 0, **fragments}
    menu = Menu(actor)
    unread = getattr(user, "xy_unread", None)  # loaded with the account (signed_in_user)
    if unread is None:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": menu, "menu_key": menu.key, "actor": actor, "unread_count": unread,
            **fragments}


def _menu(actor) -> tuple:
    # Entries are pages without URL arguments (see _header_page).
    items = [(_("Home"), "/")]
    items.append((_("My dashboard"), reverse("dashboard")))
    if actor.has(Role.SUPERVISEE):
        items.append((_("My record"), reverse("me_record")))
        items.append((_("My courses"), reverse("courses:mine")))
        items.append((_("My help"), reverse("helpnet:me")))
        items.append((_("Download my data"), reverse("casework:my_export")))
    items.append((_("Service and volunteering"), reverse("volunteering:list")))
    if actor.has(Role.SUPERVISEE, Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER) or any(
        org.kind == org.Kind.ENTERPRISE for org in actor.organisations
    ):
        items.append((_("Jobs and training"), reverse("employment:home")))
    if actor.has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.SUPERUSER):
        items.append((_("Caseload"), reverse("people:list")))
        items.append((_("Referrals"), reverse("helpnet:referrals")))
        items.append((_("Education-help fund"), reverse("helpnet:fund_list")))
        items.append((_("Today"), reverse("casework:today")))
        items.append((_("Unit dashboard"), reverse("casework:unit_dashboard")))
        items.append((_("Behind on study hours"), reverse("courses:behind")))
    if actor.has(Role.CASEWORKER, Role.UNIT_ADMIN, Role.PARTNER_STAFF, Role.SUPERUSER):
        items.append((_("Classes I organise"), reverse("courses:organiser_sessions")))
    provider_kinds = {org.kind for org in actor.organisations}
    if provider_kinds & {"ngo", "counselling"}:
        items.append((_("Referrals to us"), reverse("helpnet:provider")))
    if "counselling" in provider_kinds:
        items.append((_("Counselling slots"), reverse("helpnet:slots")))
    if actor.has(Role.UNIT_ADMIN, Role.SUPERUSER):
        items.append((_("Staff and partners"), reverse("staff:list")))
    if actor.has(Role.EDITOR, Role.UNIT_ADMIN, Role.SUPERUSER):
        items.append((_("Content admin"), reverse("wagtailadmin_home")))
    items.append((_("Messages"), reverse("notifications")))
    items.append((_("Password and two-factor"), reverse("mfa_index")))
    return tuple(items)

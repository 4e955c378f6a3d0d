"""Build the demo county. Idempotent: every row is looked up by a natural key (a code, a
username, a name, a slug) and only created when missing; nothing that exists is
changed, so a second run, or a run after someone edited the demo, changes nothing.

Other apps add their own demo data by providing `<app>/demo.py` with a function
`load(ctx: DemoContext)`; it runs after the core county is built, in INSTALLED_APPS
order, inside the same transaction, and must be idempotent too."""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import random
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.rich_text import RichText
from wagtail.search import index as search_index

from portal.access import EDITORS_GROUP
from portal.accounts.services import user_create
from portal.notifications.models import Notification
from portal.notifications.services import notification_mark_read, notify
from portal.organisations.models import Membership, Organisation, Unit
from portal.people.models import (
    OccupationalBan,
    ProhibitionOrder,
    Supervisee,
    TravelApproval,
)
from portal.people.services import consent_record, supervisee_create
from portal.taxonomy.models import District, Industry, Skill, VenueType

from . import content, data
from .people import PersonPlan, add_months, plan


@dataclass
class DemoContext:
    """What the core demo built, for apps that add their own demo data."""

    today: datetime.date
    rng: random.Random
    units: dict = field(default_factory=dict)  # key → Unit
    users: dict = field(default_factory=dict)  # username → User
    organisations: dict = field(default_factory=dict)  # key → Organisation
    supervisees: dict = field(default_factory=dict)  # username → Supervisee
    districts: dict = field(default_factory=dict)  # code → District
    skills: dict = field(default_factory=dict)
    industries: dict = field(default_factory=dict)
    venue_types: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)  # "home", "news", "partners", "about" → Page
    created: Counter = field(default_factory=Counter)

    @cached_property
    def password_hash(self) -> str:
        # One hash for every demo account: hashing is deliberately slow, and the demo
        # accounts share one published password anyway. Only computed when needed.
        return make_password(data.PASSWORD)

    @property
    def editor(self):
        """Writes the demo pages (Wagtail's Editors group may not publish)."""
        return self.users[data.EDITOR[0]]

    @property
    def publisher(self):
        """Publishes them."""
        return self.users[data.SUPERUSER[0]]


def load_demo(*, today: datetime.date | None = None) -> DemoContext:
    today = today or timezone.localdate()
    ctx = DemoContext(today=today, rng=random.Random(data.SEED))
    with transaction.atomic():
        _taxonomy(ctx)
        _units(ctx)
        _accounts(ctx)
        _organisations(ctx)
        _supervisees(ctx)
        _notifications(ctx)
        _pages(ctx)
        for module in _app_demo_modules():
            module.load(ctx)
    return ctx


def _app_demo_modules():
    for config in apps.get_app_configs():
        if config.name == "portal" or config.name.split(".")[0] not in _project_packages():
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            module = importlib.import_module(name)
            if hasattr(module, "load"):
                yield module


def _project_packages() -> set[str]:
    return {"portal", "cms", "courses", "volunteering", "employment"}


# --- Taxonomy --------------------------------------------------------------------------

def _terms(ctx, model, rows, target: dict, **extra_per_row):
    for sort_order, row in enumerate(rows):
        code, name, name_en, *rest = row
        defaults = {"name": name, "name_en": name_en, "sort_order": sort_order}
        if rest:
            defaults["county"] = rest[0]
        term, created = model.objects.get_or_create(code=code, defaults=defaults)
        ctx.created[model._meta.model_name] += created
        target[code] = term


def _taxonomy(ctx: DemoContext) -> None:
    _terms(ctx, District, data.DISTRICTS, ctx.districts)
    _terms(ctx, Skill, data.SKILLS, ctx.skills)
    _terms(ctx, Industry, data.INDUSTRIES, ctx.industries)
    _terms(ctx, VenueType, data.VENUE_TYPES, ctx.venue_types)


# --- Units ---------------------------------------------------------------------------

def _units(ctx: DemoContext) -> None:
    for key, (name, kind, district, address, phone, parent_key) in data.UNITS.items():
        fields = {"name": name, "kind": kind, "district": ctx.districts[district],
                  "address": address, "phone": phone}
        if parent_key is None:
            unit = Unit.get_root_nodes().filter(name=name).first()
            if unit is None:
                unit = Unit.add_root(**fields)
                ctx.created["unit"] += 1
        else:
            # treebeard keeps numchild and paths on the parent row: always re-read it.
            parent = Unit.objects.get(pk=ctx.units[parent_key].pk)
            unit = parent.get_children().filter(name=name).first()
            if unit is None:
                unit = parent.add_child(**fields)
                ctx.created["unit"] += 1
        ctx.units[key] = unit
    # Units are kept ordered by name, so adding one can move its siblings' paths: re-read.
    fresh = Unit.objects.in_bulk([u.pk for u in ctx.units.values()])
    ctx.units = {key: fresh[unit.pk] for key, unit in ctx.units.items()}


# --- Accounts --------------------------------------------------------------------------

def _user(ctx: DemoContext, username: str, display_name: str, *, demo_password: bool,
          **flags):
    """The account `username`, created without a usable password (staff would send an
    invitation) unless it is one of the demo accounts of API.md."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, display_name=display_name)
        if demo_password:
            user.password = ctx.password_hash
        for name, value in flags.items():
            setattr(user, name, value)
        user.save()
        ctx.created["user"] += 1
    ctx.users[username] = user
    return user


def _accounts(ctx: DemoContext) -> None:
    username, name = data.SUPERUSER
    _user(ctx, username, name, demo_password=True, is_superuser=True, is_staff=True)
    username, name = data.EDITOR
    editor = _user(ctx, username, name, demo_password=True)
    editors = Group.objects.get(name=EDITORS_GROUP)
    if not editor.groups.filter(pk=editors.pk).exists():
        editor.groups.add(editors)
    for username, name, unit_key, role, title, demo in data.UNIT_STAFF:
        user = _user(ctx, username, name, demo_password=demo)
        _, created = Membership.objects.get_or_create(
            user=user, unit=ctx.units[unit_key], role=role, defaults={"title": title})
        ctx.created["membership"] += created


# --- Partners ------------------------------------------------------------------------

def _organisations(ctx: DemoContext) -> None:
    for spec in data.ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            name=spec["name"],
            defaults={
                "kind": spec["kind"], "summary": spec["summary"],
                "district": ctx.districts[spec["district"]], "address": spec["address"],
                "contact_name": spec["contact"], "contact_phone": spec["phone"],
                "partner_unit": ctx.units[data.BUREAU],
            },
        )
        ctx.created["organisation"] += created
        ctx.organisations[spec["key"]] = organisation
        for username, name, role, title, demo in spec["staff"]:
            user = _user(ctx, username, name, demo_password=demo)
            _, created = Membership.objects.get_or_create(
                user=user, organisation=organisation, defaults={"role": role, "title": title})
            ctx.created["membership"] += created


# --- Supervisees ---------------------------------------------------------------------

def _supervisees(ctx: DemoContext) -> None:
    people = plan(ctx.today)
    existing = {
        s.user.username: s
        for s in Supervisee.objects.filter(
            user__username__in=[p.username for p in people]).select_related("user")
    }
    for person in people:
        supervisee = existing.get(person.username)
        if supervisee is None:
            supervisee = _supervisee_create(ctx, person)
        ctx.supervisees[person.username] = supervisee
        ctx.users[person.username] = supervisee.user


def _supervisee_create(ctx: DemoContext, person: PersonPlan) -> Supervisee:
    caseworker = ctx.users[person.caseworker]
    # Only a unit administrator may seal a juvenile's file (and then still open it).
    author = ctx.users["unitadmin"] if person.is_sealed else caseworker
    supervisee = supervisee_create(
        created_by=author,
        username=person.username,
        legal_name=person.legal_name,
        alias=person.alias,
        gender=person.gender,
        birth_date=person.birth_date,
        id_number=person.id_number,
        unit=ctx.units[person.unit],
        caseworker=caseworker,
        sentence_kind=person.sentence_kind,
        term_start=person.term_start,
        term_end=person.term_end,
        level=person.level,
        is_juvenile=person.is_juvenile,
        status=person.status,
        released_on=person.released_on,
        help_ends_on=person.help_ends_on,
        is_sealed=person.is_sealed,
        home_district=ctx.districts[person.home_district],
        skills=[ctx.skills[code] for code in person.skills],
    )
    ctx.created["supervisee"] += 1
    user = supervisee.user
    if person.demo_password:
        user.password = ctx.password_hash
        user.save(update_fields=["password"])

    for kind, venue_code, description in person.prohibitions:
        _create(ProhibitionOrder,
            supervisee=supervisee, kind=kind, description=description,
            venue_type=ctx.venue_types[venue_code] if venue_code else None,
            starts_on=person.term_start, ends_on=person.term_end,
        )
        ctx.created["prohibition"] += 1
    for industry_code, description, years in person.bans:
        _create(OccupationalBan,
            supervisee=supervisee, industry=ctx.industries[industry_code],
            description=description, starts_on=person.term_start,
            ends_on=add_months(person.term_end, 12 * years),
        )
        ctx.created["occupational_ban"] += 1
    for destination, reason, starts_in, days in person.travel:
        starts_on = ctx.today + datetime.timedelta(days=starts_in)
        _create(TravelApproval,
            supervisee=supervisee, destination=ctx.districts[destination], reason=reason,
            starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=days),
            approved_by=caseworker,
        )
        ctx.created["travel_approval"] += 1
    for kind, granted, by_self in person.consents:
        consent_record(supervisee=supervisee, kind=kind, granted=granted,
                       recorded_by=user if by_self else caseworker)
        ctx.created["consent"] += 1
    return supervisee


def _create(model, **fields):
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    return obj


# --- Notifications ---------------------------------------------------------------------

def _notifications(ctx: DemoContext) -> None:
    for username, messages in data.NOTIFICATIONS.items():
        user = ctx.users[username]
        for kind, title, body, url, read in messages:
            if Notification.objects.filter(recipient=user, kind=kind, title=title).exists():
                continue
            notification = notify(recipient=user, kind=kind, title=title, body=body, url=url)
            ctx.created["notification"] += 1
            if read:
                notification_mark_read(user=user, notification_id=notification.pk)


# --- Pages -----------------------------------------------------------------------------

def _stream(blocks: list) -> list:
    return [(kind, RichText(value) if kind == "paragraph" else value) for kind, value in blocks]


def _child(ctx: DemoContext, parent: Page, page: Page, *, publish: bool = True) -> Page:
    """The child of `parent` with `page.slug`, created (and published) if missing."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    page.live = publish
    parent.add_child(instance=page)
    revision = page.save_revision(user=ctx.editor, log_action=True)
    if publish:
        revision.publish(user=ctx.publisher)
    _index_now(page)
    ctx.created["page"] += 1
    return page


def _index_now(page: Page) -> None:
    """Wagtail updates the search index in a background task; with a queued backend
    (db_worker) do it now, so search works right after the command."""
    if not settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
        search_index.insert_or_update_object(page)


def _pages(ctx: DemoContext) -> None:
    from cms.models import ContentPage, NewsIndexPage, NewsPage, PartnerDirectoryPage, PartnerPage

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site else None
    if home is None or home.specific_class.__name__ != "HomePage":
        raise RuntimeError("The default site's root is not the portal home page; "
                           "run the migrations first.")
    if not home.body:  # fill the home page once; an editor's changes are kept
        home.intro = content.HOME["intro"]
        home.body = _stream(content.HOME["body"])
        home.save_revision(user=ctx.editor).publish(user=ctx.publisher)
        _index_now(home)
        ctx.created["page_updated"] += 1
    ctx.pages["home"] = home

    news_index = _child(ctx, home, NewsIndexPage(
        title=content.NEWS_INDEX["title"], slug=content.NEWS_INDEX["slug"],
        intro=content.NEWS_INDEX["intro"], show_in_menus=True,
        search_description=content.NEWS_INDEX["search_description"]))
    ctx.pages["news"] = news_index
    directory = _child(ctx, home, PartnerDirectoryPage(
        title=content.DIRECTORY["title"], slug=content.DIRECTORY["slug"],
        intro=content.DIRECTORY["intro"], show_in_menus=True,
        search_description=content.DIRECTORY["search_description"]))
    ctx.pages["partners"] = directory
    about = _child(ctx, home, ContentPage(
        title=content.ABOUT["title"], slug=content.ABOUT["slug"], intro=content.ABOUT["intro"],
        body=_stream(content.ABOUT["body"]), show_in_menus=True,
        search_description=content.ABOUT["search_description"]))
    ctx.pages["about"] = about
    for guide in content.GUIDES:
        _child(ctx, about, ContentPage(
            title=guide["title"], slug=guide["slug"], intro=guide["intro"],
            body=_stream(guide["body"]), search_description=guide["search_description"]))

    # Oldest first, so the admin's "recently edited" list shows the newest news on top.
    for item in sorted(content.NEWS, key=lambda n: -n["days_ago"]):
        _child(ctx, news_index, _news_page(ctx, item, NewsPage))
    _child(ctx, news_index, _news_page(ctx, content.DRAFT_NEWS, NewsPage), publish=False)

    for spec in data.ORGANISATIONS:
        organisation = ctx.organisations[spec["key"]]
        if PartnerPage.objects.filter(organisation=organisation).exists():
            continue
        _child(ctx, directory, PartnerPage(
            title=organisation.name, slug=spec["key"], organisation=organisation,
            services=content.partner_services_html(spec["services"]),
            body=_stream(content.partner_body(spec["kind"])),
            search_description=spec["summary"][:150],
        ))


def _news_page(ctx: DemoContext, item: dict, model):
    return model(
        title=item["title"], slug=item["slug"], summary=item["summary"],
        date=ctx.today - datetime.timedelta(days=item["days_ago"]),
        body=_stream(item["body"]),
    )

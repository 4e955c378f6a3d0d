"""Speed by data design: the data generator, the database router, Cache-Control on
personal pages, cached CMS fragments retired on publish, and the per-request queries
every page pays (roles, the Wagtail user bar)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail.rich_text import RichText

from cms.models import HomePage, NewsIndexPage, NewsPage
from portal.access import Role, actor_for
from portal.bench.scale import TINY, Generator
from portal.db_router import PrimaryReplicaRouter
from portal.people.models import Supervisee
from volunteering.models import HoursEntry

# --- generate_scale ----------------------------------------------------------------------


class _Undo(Exception):
    pass


def _generate(seed: int) -> tuple[dict, list]:
    out: list[str] = []
    try:
        with transaction.atomic():
            counts = Generator(counties=2, seed=seed, sizes=TINY, out=out.append).run()
            fingerprint = [
                list(Supervisee.objects.order_by("legal_name").values_list(
                    "legal_name", "level", "status", "is_juvenile", "term_end")),
                list(HoursEntry.objects.order_by("supervisee__legal_name", "service_date",
                                                 "hours").values_list(
                    "supervisee__legal_name", "service_date", "hours")),
            ]
            assert Page.find_problems() == ([], [], [], [], [])
            raise _Undo
    except _Undo:
        pass
    return counts, fingerprint


@pytest.mark.django_db
def test_generated_province_is_complete_and_repeatable(client):
    counts, first = _generate(seed=7)
    again_counts, again = _generate(seed=7)
    _other_counts, other = _generate(seed=8)

    assert counts["supervisees"] == 2 * TINY.people
    assert counts["hours entries"] == 2 * TINY.people * TINY.hours_per_person
    for kind in ("units", "caseworkers", "courses", "classes", "enrolments", "news pages",
                 "activities", "sign-ups", "jobs"):
        assert counts[kind] > 0, kind
    assert (again_counts, again) == (counts, first)  # same seed, same rows
    assert other != first  # another seed, other rows


@pytest.mark.django_db
def test_generated_pages_are_served(client):
    with transaction.atomic():
        Generator(counties=1, seed=1, sizes=TINY, out=lambda line: None).run()
        course = Page.objects.get(slug="bench-c0-course1")
        assert client.get(course.url).status_code == 200
        html = client.get("/news/").content.decode()
        assert "基准县000工作动态" in html


@pytest.mark.django_db
def test_generate_scale_refuses_a_database_not_meant_for_it(monkeypatch):
    from django.core.management import CommandError, call_command

    from portal.bench.management.commands.generate_scale import Command

    monkeypatch.setitem(connection.settings_dict, "NAME", "xiangyang")
    with pytest.raises(CommandError, match="bench"):
        call_command(Command(), counties=1)


# --- database router ---------------------------------------------------------------------

WITH_REPLICA = {"DATABASES": {"default": {}, "replica": {}}}


@pytest.mark.django_db
def test_router_sends_reads_to_the_replica_and_the_rest_to_the_primary(monkeypatch):
    """Routing decisions only (no query runs): what each kind of query would use. The
    test itself runs in a transaction; outside one is what a request sees by default."""
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    router = PrimaryReplicaRouter()
    # No replica configured: everything on the default database.
    assert router.db_for_read(Supervisee) is None
    assert Supervisee.objects.all().db == "default"
    with override_settings(**WITH_REPLICA):
        from django.core.signals import request_started

        request_started.send(sender=None)  # a new request: nothing written yet
        assert Supervisee.objects.filter(pk=1).db == "replica"  # plain read
        assert Supervisee.objects.select_for_update().db == "default"  # locking read
        assert Supervisee.objects.all().db == "default"  # ...and the request stays there
        request_started.send(sender=None)
        assert router.db_for_read(Supervisee) == "replica"
        with monkeypatch.context() as inside:
            # inside a transaction on the primary
            inside.setattr(connections["default"], "in_atomic_block", True)
            assert router.db_for_read(Supervisee) == "default"
            assert Supervisee.objects.all().db == "default"
        assert router.db_for_write(Supervisee) == "default"  # a write...
        assert router.db_for_read(Supervisee) == "default"  # ...pins the request's reads
        request_started.send(sender=None)
        assert router.db_for_read(Supervisee) == "replica"  # the next request reads again
        assert router.allow_migrate("replica", "people") is False
        assert router.allow_migrate("default", "people") is True


# --- Cache-Control -----------------------------------------------------------------------


def test_personal_pages_are_never_stored_in_shared_caches(world, login):
    anonymous = login(None).get("/")
    assert "private" not in anonymous.get("Cache-Control", "")

    for role in ("supervisee", "caseworker", "ngo", "editor"):
        client = login(world.users[role])
        for url in ("/", "/dashboard/"):
            response = client.get(url)
            directives = {d.strip() for d in response["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= directives, (role, url)
            assert "public" not in directives

    # The public certificate check names the holder: private even for visitors.
    verify = login(None).get("/verify/NO-SUCH-CODE/")
    assert "no-store" in verify["Cache-Control"]
    api = login(None).get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert "no-store" in api["Cache-Control"]


# --- cached CMS fragments ----------------------------------------------------------------


def _news(index, title, slug):
    page = NewsPage(title=title, slug=slug, date=datetime.date.today(),
                    body=[("paragraph", RichText("<p>正文</p>"))])
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_cached_news_list_shows_a_new_item_as_soon_as_it_is_published(client):
    home = HomePage.objects.get()
    index = home.add_child(instance=NewsIndexPage(title="新闻", slug="news",
                                                  show_in_menus=True))
    _news(index, "第一条消息", "one")
    assert "第一条消息" in client.get("/news/").content.decode()

    # Served from the fragment cache: the news list query does not run again.
    with CaptureQueriesContext(connection) as cached:
        client.get("/news/")
    assert not [q for q in cached.captured_queries
                if "cms_newspage" in q["sql"] and "ORDER BY" in q["sql"]]

    second = _news(index, "第二条消息", "two")
    assert "第二条消息" in client.get("/news/").content.decode()
    second.unpublish()
    assert "第二条消息" not in client.get("/news/").content.decode()
    index.save_revision().publish()
    home_html = client.get("/").content.decode()
    assert 'href="/news/"' in home_html


# --- per-request queries -----------------------------------------------------------------


def test_roles_cost_one_query_for_a_supervisee_and_two_for_staff(world,
                                                                 django_assert_num_queries):
    from django.contrib.auth import get_user_model

    def fresh(name):
        return get_user_model().objects.get(pk=world.users[name].pk)

    person, caseworker, editor = fresh("supervisee"), fresh("caseworker"), fresh("editor")
    with django_assert_num_queries(1):
        assert actor_for(person).supervisee_id == world.supervisee.pk
    with django_assert_num_queries(0):
        actor_for(person)  # cached for the rest of the request
    with django_assert_num_queries(2):
        assert actor_for(caseworker).has(Role.CASEWORKER)
    with django_assert_num_queries(1):
        assert actor_for(editor).roles == {Role.EDITOR}


def test_only_people_who_can_edit_get_the_wagtail_user_bar(world, login):
    assert "wagtail-userbar" in login(world.users["editor"]).get("/").content.decode()
    for role in ("supervisee", "caseworker", "ngo"):
        client = login(world.users[role])
        client.get("/")
        with CaptureQueriesContext(connection) as ctx:
            html = client.get("/").content.decode()
        assert "wagtail-userbar" not in html
        assert not [q for q in ctx.captured_queries if "auth_permission" in q["sql"]], role


def test_the_user_bar_is_on_cms_pages_only(world, login):
    """A unit administrator can edit pages: the bar is on the CMS home page, not on the
    portal's own pages, where it would cost permission queries and edit nothing."""
    client = login(world.users["unit_admin"])
    assert "wagtail-userbar" in client.get("/").content.decode()
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("dashboard")).content.decode()
    assert "wagtail-userbar" not in html
    assert not [q for q in ctx.captured_queries if "auth_permission" in q["sql"]
                or "wagtailusers_userprofile" in q["sql"]]


def test_a_signed_in_request_loads_account_roles_and_badge_in_one_query(world, login):
    """The account behind the session comes with the roles' flags, the two-factor flag
    and the unread count (portal.access.signed_in_user); the session itself is read from
    the cache. A supervisee's simple page pays one query for all that."""
    from portal.notifications.models import Notification

    person = world.users["supervisee"]
    Notification.objects.create(recipient=person, kind="test", title="一条新消息")
    client = login(person)
    client.get("/dashboard/")  # the session is now in the cache
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/messages/").content.decode()
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sqls if "django_session" in s]
    assert len([s for s in sqls if 'FROM "accounts_user"' in s]) == 1
    assert not [s for s in sqls if "auth_group" in s and "xy_editor" not in s]
    assert not [s for s in sqls if "COUNT(" in s and "notifications_notification" in s
                and '"read_at" IS NULL' in s and "xy_unread" not in s]
    assert 'class="badge"' in html  # the badge still shows the unread message


def test_the_account_load_gives_the_same_roles_as_asking_afresh(world):
    from django.contrib.auth import get_user_model

    from portal.access import is_staff_role, signed_in_user
    from portal.accounts.middleware import has_totp

    for name, user in world.users.items():
        if user is None:
            continue
        loaded = signed_in_user(user.pk)
        fresh = get_user_model().objects.get(pk=user.pk)
        for f in fresh._meta.concrete_fields:  # every column as the ORM reads it
            got, expected = getattr(loaded, f.attname), getattr(fresh, f.attname)
            assert (got, type(got)) == (expected, type(expected)), (name, f.name)
        assert loaded._state.db == fresh._state.db and not loaded._state.adding
        assert actor_for(loaded).roles == actor_for(fresh).roles, name
        assert actor_for(loaded).supervisee_id == actor_for(fresh).supervisee_id, name
        assert loaded.xy_unread == fresh.notifications.filter(read_at=None).count(), name
        assert has_totp(loaded) is has_totp(fresh), name
        # The staff check of every request, from the loaded flags without a query.
        with CaptureQueriesContext(connection) as ctx:
            assert is_staff_role(loaded) is actor_for(fresh).is_staff_role, name
        assert len(ctx) == 0, name
        assert is_staff_role(fresh) is actor_for(fresh).is_staff_role, name
    assert signed_in_user(10**9) is None


def _fields(obj):
    return None if obj is None else (type(obj), [
        (f.attname, getattr(obj, f.attname), type(getattr(obj, f.attname)))
        for f in obj._meta.concrete_fields])


def test_a_staff_accounts_memberships_cost_one_statement(world):
    """The account comes in one statement; an account with memberships has them, their
    units and organisations in one more, none without. The roles are the roles asked for
    afresh, down to every field of every unit and organisation."""
    from django.contrib.auth import get_user_model

    from portal.access import signed_in_user
    from portal.organisations.models import Membership
    from tests import factories as f

    # A caseworker in two units, one an administrator too; a partner of an organisation
    # no longer active beside an active one.
    worker = world.users["caseworker"]
    Membership.objects.create(user=worker, unit=world.squad2, role="caseworker")
    ngo = world.users["ngo"]
    gone = f.OrganisationFactory(name="旧伙伴 \"引号\" & <尖>", is_active=False)
    Membership.objects.create(user=ngo, organisation=gone, role="partner_staff")
    for name in ("caseworker", "unit_admin", "ngo", "supervisee", "editor"):
        user = world.users[name]
        with CaptureQueriesContext(connection) as loading:
            loaded = signed_in_user(user.pk)
        with CaptureQueriesContext(connection) as asking:
            actor = actor_for(loaded)
        member = Membership.objects.filter(user=user).exists()
        assert len(loading) == 1 and len(asking) == (1 if member else 0), name
        fresh = actor_for(get_user_model().objects.get(pk=user.pk))
        assert actor.roles == fresh.roles, name
        for got, expected in ((actor.units, fresh.units), (actor.admin_units, fresh.admin_units),
                              (actor.organisations, fresh.organisations)):
            assert [_fields(x) for x in got] == [_fields(x) for x in expected], name
            assert all(x._state.db == "default" and not x._state.adding for x in got)
        assert loaded.xy_member is bool(Membership.objects.filter(user=user).exists()), name
    assert len(actor_for(signed_in_user(worker.pk)).units) == 2
    ngo_actor = actor_for(signed_in_user(ngo.pk))
    assert gone.pk not in ngo_actor.organisation_ids and ngo_actor.organisations


def test_roles_follow_the_memberships_as_they_are_now(world):
    """An account that has lost its memberships gets no role from them on its next
    request; one given a membership has it on the next."""
    from portal.access import signed_in_user
    from portal.organisations.models import Membership

    caseworker = world.users["caseworker"]
    assert Role.CASEWORKER in actor_for(signed_in_user(caseworker.pk)).roles
    Membership.objects.filter(user=caseworker).delete()
    actor = actor_for(signed_in_user(caseworker.pk))
    assert Role.CASEWORKER not in actor.roles and not actor.units
    Membership.objects.create(user=caseworker, unit=world.bureau, role="unit_admin")
    actor = actor_for(signed_in_user(caseworker.pk))
    assert Role.UNIT_ADMIN in actor.roles and [u.pk for u in actor.admin_units] == [
        world.bureau.pk]
    person = world.users["supervisee"]
    with CaptureQueriesContext(connection) as loading:
        loaded = signed_in_user(person.pk)
    assert len(loading) == 1 and actor_for(loaded).roles == {Role.SUPERVISEE}

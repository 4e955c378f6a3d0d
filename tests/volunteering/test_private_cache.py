"""Signed-in pages kept per session until a table they read changes (portal/privatecache.py):
served again without the page's queries, never to anybody else, never out of date after
a write is committed, never when the page wrote, queued a message or is not a 200."""

import datetime
import re
import time

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import privatecache
from portal.notifications.models import Notification
from portal.privatecache import classify, private_page
from volunteering import services
from volunteering.models import Activity, Signup

from .test_ledger import attended


@pytest.fixture(autouse=True)
def _on(settings):
    settings.XY_PRIVATE_PAGE_CACHE = True
    settings.XY_PRIVATE_PAGE_SECONDS = 60


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks at its end, as a real commit would: the tests run
    inside one transaction that is never committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _kept(client, url):
    """The first page of a session sets the CSRF cookie (a page with a new CSRF secret is
    not kept); the second is built with it and kept."""
    client.get(url)
    return client.get(url)


def test_second_view_is_answered_without_the_pages_queries(svc, login,
                                                           django_assert_num_queries):
    svc.activity(title="社区读书活动")
    client = login(svc.world.supervisee.user)
    first = _kept(client, "/service/")
    assert first.status_code == 200
    # The account (with its roles and badge) is still read on every request; the page's
    # own queries are not.
    with django_assert_num_queries(1):
        second = client.get("/service/")
    assert second.content == first.content
    assert second["Cache-Control"] == first["Cache-Control"]
    assert "private" in second["Cache-Control"] and "no-store" in second["Cache-Control"]


def test_a_committed_write_to_a_table_the_page_read_shows_at_once(svc, login, commit):
    svc.activity(title="社区读书活动")
    client = login(svc.world.supervisee.user)
    assert "社区读书活动" in _kept(client, "/service/").content.decode()
    with commit():
        svc.activity(title="社区义诊活动", starts_at=timezone.now() + datetime.timedelta(days=4))
    html = client.get("/service/").content.decode()
    assert "社区义诊活动" in html


def test_bulk_update_and_raw_sql_writes_count_too(svc, login, commit):
    activity = svc.activity(title="社区读书活动")
    client = login(svc.world.supervisee.user)
    assert "社区读书活动" in _kept(client, "/service/").content.decode()
    with commit():
        Activity.objects.filter(pk=activity.pk).update(title="社区书法活动")
    assert "社区书法活动" in client.get("/service/").content.decode()
    with commit(), connection.cursor() as cursor:
        # Unquoted names, as hand-written SQL has them.
        cursor.execute("UPDATE volunteering_activity SET title = %s WHERE id = %s",
                       ["社区剪纸活动", activity.pk])
    assert "社区剪纸活动" in client.get("/service/").content.decode()


def test_an_uncommitted_write_leaves_the_tokens_until_the_commit(svc, commit):
    before = privatecache.current_tokens(["volunteering_activity"])
    with commit():
        with transaction.atomic():
            svc.activity(title="社区读书活动")
            assert privatecache.current_tokens(["volunteering_activity"]) == before
    assert privatecache.current_tokens(["volunteering_activity"]) != before


def test_a_person_never_gets_another_persons_page(svc, world, login):
    mine = svc.activity(title="社区读书活动")
    services.signup_create(supervisee=world.supervisee, activity_id=mine.pk)
    client = login(world.supervisee.user)
    assert "svc-mine" in _kept(client, "/service/").content.decode()
    other = Client()
    other.force_login(world.other_supervisee.user,
                      backend="portal.accounts.backends.UsernameOrPhoneBackend")
    html = other.get("/service/").content.decode()
    assert "社区读书活动" in html and "svc-mine" not in html


def test_each_session_and_language_has_its_own_copy(svc, world, login):
    svc.activity(title="社区读书活动")
    client = login(world.supervisee.user)
    chinese = _kept(client, "/service/")
    client.cookies["xy_language"] = "en"
    english = client.get("/service/")
    assert english.content != chinese.content
    assert 'lang="en"' in english.content.decode()
    del client.cookies["xy_language"]
    assert client.get("/service/").content == chinese.content


def test_the_menu_badge_counts_a_new_message_at_once(svc, world, login):
    client = login(world.supervisee.user)
    before = _kept(client, "/service/").content.decode()
    Notification.objects.create(recipient=world.supervisee.user, kind="test",
                                title="新的通知", body="请查收")
    after = client.get("/service/").content.decode()
    assert after != before  # the unread count is read with the account, every request


def test_a_removed_role_is_refused_at_once(svc, world, login, commit):
    activity, _person, _signup = attended(svc)
    organiser = svc.world.users["ngo"]
    client = login(organiser)
    url = f"/service/activities/{activity.pk}/manage/"
    assert client.get(url).status_code == 200
    with commit():
        organiser.memberships.all().delete()
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("two_factor", [False, True])
def test_a_caseworker_moved_to_another_unit_sees_its_caseload_at_once(world, login, commit,
                                                                     settings, two_factor):
    """With staff two-factor required, the roles are looked at before the view runs."""
    from allauth.mfa.models import Authenticator

    from portal.organisations.models import Membership

    settings.XY_REQUIRE_STAFF_MFA = two_factor
    Authenticator.objects.create(user=world.users["caseworker"], type=Authenticator.Type.TOTP,
                                 data={"secret": "test-not-a-real-secret"})
    client = login(world.users["caseworker"])
    before = _kept(client, "/people/").content.decode()
    assert world.supervisee.legal_name in before
    assert world.other_supervisee.legal_name not in before
    with commit():
        Membership.objects.filter(user=world.users["caseworker"]).update(unit=world.squad2)
    after = client.get("/people/").content.decode()
    assert world.other_supervisee.legal_name in after
    assert world.supervisee.legal_name not in after


def test_a_page_showing_a_message_is_built_again_and_shows_it(svc, world, login):
    svc.activity(title="社区读书活动")
    client = login(world.supervisee.user)
    _kept(client, "/service/")
    storage = CookieStorage(RequestFactory().get("/"))
    response = HttpResponse()
    storage.add(constants.SUCCESS, "报名成功：社区读书活动")
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    html = client.get("/service/").content.decode()
    assert "报名成功：社区读书活动" in html


def test_a_cached_pages_form_token_is_still_accepted(svc, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.supervisee.user,
                       backend="portal.accounts.backends.UsernameOrPhoneBackend")
    client.get("/service/")  # gives the CSRF cookie
    client.get("/service/")  # built with it, and kept
    cached = client.get("/service/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached).group(1)
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_hard_reload_is_built_afresh(svc, world, login, django_assert_num_queries):
    client = login(world.supervisee.user)
    _kept(client, "/service/")
    with CaptureQueriesContext(connection) as rebuilt:
        client.get("/service/", headers={"cache-control": "no-cache"})
    assert len(rebuilt) > 1
    with django_assert_num_queries(1):
        client.get("/service/")


def test_entries_expire(svc, world, login, settings, django_assert_num_queries):
    settings.XY_PRIVATE_PAGE_SECONDS = 1
    client = login(world.supervisee.user)
    _kept(client, "/service/")
    with django_assert_num_queries(1):
        client.get("/service/")
    time.sleep(1.2)
    with CaptureQueriesContext(connection) as rebuilt:
        client.get("/service/")
    assert len(rebuilt) > 1


# --- the decorator on its own ------------------------------------------------------------

def _request(user, path="/x/"):
    from django.contrib.sessions.backends.cache import SessionStore

    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request.LANGUAGE_CODE = "zh-hans"
    return request


def _serve(view, request):
    """`view` as a WSGI server runs it: the response is closed once it is written, and
    the page is kept then."""
    response = view(request)
    _close(response)
    return response


def _close(response):
    """As the test client closes a response: without closing the test's connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_a_page_that_wrote_is_never_kept(svc, world, commit):
    calls = []

    @private_page
    def view(request):
        calls.append(1)
        Notification.objects.create(recipient=request.user, kind="test", title="读过")
        return HttpResponse("ok", content_type="text/html")

    user = world.supervisee.user
    _serve(view, _request(user))
    _serve(view, _request(user))
    assert len(calls) == 2


def test_a_page_that_changed_the_session_or_queued_a_message_is_never_kept(world):
    calls = []

    @private_page
    def view(request):
        calls.append(1)
        request.session["seen"] = True
        return HttpResponse("ok", content_type="text/html")

    request = _request(world.supervisee.user)
    _serve(view, request)
    _serve(view, request)
    assert len(calls) == 2


@pytest.mark.parametrize("status, content_type, kept", [
    (200, "text/html; charset=utf-8", True), (200, "application/json", True),
    (200, "text/csv", False), (403, "text/html", False), (404, "text/html", False),
    (302, "text/html", False),
])
def test_only_html_and_json_200s_are_kept(world, status, content_type, kept):
    calls = []

    @private_page
    def view(request):
        calls.append(1)
        return HttpResponse("ok", status=status, content_type=content_type)

    user = world.supervisee.user
    _serve(view, _request(user))
    second = _serve(view, _request(user))
    assert len(calls) == (1 if kept else 2)
    assert second.status_code == status


def test_a_post_is_never_answered_from_the_cache(world):
    calls = []

    @private_page
    def view(request):
        calls.append(request.method)
        return HttpResponse("ok", content_type="text/html")

    user = world.supervisee.user
    _serve(view, _request(user))
    post = RequestFactory().post("/x/")
    post.user, post.session, post.LANGUAGE_CODE = user, _request(user).session, "zh-hans"
    _serve(view, post)
    assert calls == ["GET", "POST"]


def test_nothing_for_visitors_who_are_not_signed_in():
    from django.contrib.auth.models import AnonymousUser

    calls = []

    @private_page
    def view(request):
        calls.append(1)
        return HttpResponse("ok", content_type="text/html")

    _serve(view, _request(AnonymousUser()))
    _serve(view, _request(AnonymousUser()))
    assert len(calls) == 2


def test_switched_off_it_keeps_nothing(world, settings):
    settings.XY_PRIVATE_PAGE_CACHE = False
    calls = []

    @private_page
    def view(request):
        calls.append(1)
        return HttpResponse("ok", content_type="text/html")

    _serve(view, _request(world.supervisee.user))
    _serve(view, _request(world.supervisee.user))
    assert len(calls) == 2


@pytest.mark.parametrize("sql, kind, tables", [
    ('SELECT "volunteering_activity"."id" FROM "volunteering_activity"', "read",
     {"volunteering_activity"}),
    ("select id from volunteering_signup s join people_supervisee p on p.id = s.supervisee_id",
     "read", {"volunteering_signup", "people_supervisee"}),
    ('SELECT 1 FROM "volunteering_activity" FOR UPDATE', "read", {"volunteering_activity"}),
    ('INSERT INTO "volunteering_signup" ("id") VALUES (%s)', "write", {"volunteering_signup"}),
    ("UPDATE volunteering_activity SET title = %s", "write", {"volunteering_activity"}),
    ('DELETE FROM "volunteering_signup" WHERE "activity_id" IN (SELECT "id" FROM '
     '"volunteering_activity")', "write", {"volunteering_signup", "volunteering_activity"}),
    ("WITH x AS (UPDATE volunteering_activity SET title = 'a' RETURNING id) SELECT * FROM x",
     "write", {"volunteering_activity"}),
    ("WITH x AS (SELECT id FROM volunteering_activity) SELECT * FROM x", "read",
     {"volunteering_activity"}),
    ("TRUNCATE volunteering_signup", "write", {"volunteering_signup"}),
    ('SAVEPOINT "s1"', "neither", set()),
    # Stamping a sign-in changes no page; any other change to an account does.
    ('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s', "write",
     set()),
    ('UPDATE "accounts_user" SET "last_login" = %s, "display_name" = %s WHERE '
     '"accounts_user"."id" = %s', "write", {"accounts_user"}),
    ('UPDATE "wagtailcore_apitoken" SET "last_used_at" = %s WHERE "wagtailcore_apitoken"."id" '
     '= %s', "write", set()),
    ("/* comment */ SELECT 1", "read", set()),
])
def test_statements_are_read_as_reads_or_writes_of_their_tables(sql, kind, tables):
    got_kind, got_tables = classify(sql)
    assert (got_kind, set(got_tables)) == (kind, tables)


def test_signup_counts_change_the_page(svc, world, login, commit):
    """A place taken by somebody else changes the places left on my list."""
    activity = svc.activity(title="社区读书活动", capacity=2)
    client = login(world.supervisee.user)
    before = _kept(client, "/service/").content.decode()
    with commit():
        Signup.objects.create(activity=activity, supervisee=world.other_supervisee,
                              status="confirmed", confirmed_at=timezone.now())
    after = client.get("/service/").content.decode()
    assert after != before


def test_api_hours_with_a_token_kept_and_renewed_by_new_hours(svc, world, client, commit,
                                                              django_assert_max_num_queries):
    from tests.api.conftest import Api

    api = Api(client)
    person = world.supervisee
    with commit():
        api.sign_in(person.user.username)
    first = api.get("/me/hours").json()
    api.get("/me/hours")
    with django_assert_max_num_queries(2):  # the token's lookup, tracked, and no more
        assert api.get("/me/hours").json() == first
    with commit():
        attended(svc, person, hours="2")
    after = api.get("/me/hours").json()
    assert after != first
    other = Api(Client())
    with commit():
        other.sign_in(world.other_supervisee.user.username)
    assert other.get("/me/hours").json() != after  # somebody else: their own hours


class _BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")
        return fail


def test_without_its_cache_pages_are_built_and_writes_stand(svc, world, login, commit,
                                                           monkeypatch, caplog):
    svc.activity(title="社区读书活动")
    client = login(world.supervisee.user)
    monkeypatch.setattr(privatecache, "cache", _BrokenCache())
    response = client.get("/service/")
    assert response.status_code == 200
    assert "社区读书活动" in response.content.decode()
    with commit():
        svc.activity(title="社区义诊活动", starts_at=timezone.now() + datetime.timedelta(days=4))
    assert Activity.objects.filter(title="社区义诊活动").exists()
    assert "Could not retire kept pages" in caplog.text
    assert "社区义诊活动" in client.get("/service/").content.decode()


def test_the_caseload_filter_form_kept_per_process_follows_units_and_language(world, commit):
    """The empty form is rendered once per set of units and language; a new unit shows in
    its select once written, only to staff whose units it is under, in each language."""
    from tests import factories as f

    def page(user, language="zh-hans"):
        from django.conf import settings

        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.force_login(user, backend="portal.accounts.backends.UsernameOrPhoneBackend")
        return client.get("/people/", headers={"cache-control": "no-cache"}).content.decode()

    admin, other = world.users["unit_admin"], world.users["other_caseworker"]
    before = page(admin)
    assert page(other).count("<option") > 0
    with commit():
        f.unit_create(name="新设司法所", kind="office", parent=world.squad1)
    assert "新设司法所" not in before and "新设司法所" in page(admin)
    assert "新设司法所" not in page(other)  # squad 2's caseworker: not their unit
    english = page(admin, "en")
    assert "All my units" in english and "新设司法所" in english
    assert "All my units" not in page(admin)


def test_the_session_and_the_pages_tokens_are_read_in_one_round_trip(svc, login, monkeypatch):
    from django.core.cache import caches

    monkeypatch.setattr(privatecache, "_usual_by_path", {})  # no page built here yet
    svc.activity(title="社区读书活动")
    client = login(svc.world.supervisee.user)
    _kept(client, "/service/")
    store = caches["default"]
    reads, inside = [], []
    for name in ("get", "get_many"):
        real = getattr(store, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            if not inside:  # the local-memory cache's get_many calls get: one round trip
                reads.append(_name)
            inside.append(_name)
            try:
                return _real(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(store, name, counted)
    # Built afresh (a hard reload): the session with the page's tokens, and nothing else.
    assert client.get("/service/", headers={"cache-control": "no-cache"}).status_code == 200
    assert reads == ["get_many"]
    # A repeat view: that, and the kept page.
    reads.clear()
    assert "社区读书活动" in client.get("/service/").content.decode()
    assert reads == ["get_many", "get"]
    # A path whose page was never built here reads the session alone.
    reads.clear()
    client.get("/service/me/")
    assert reads[0] == "get"


def test_tokens_read_with_the_session_still_see_a_committed_write(svc, login, commit):
    svc.activity(title="社区读书活动")
    client = login(svc.world.supervisee.user)
    _kept(client, "/service/")
    assert privatecache.token_keys_for("/service/")
    with commit():
        svc.activity(title="社区义诊活动", starts_at=timezone.now() + datetime.timedelta(days=4))
    assert "社区义诊活动" in client.get("/service/").content.decode()


def test_a_page_is_kept_once_it_has_been_sent(world):
    """The cache's write comes after the page has gone to the person (when the server
    closes the response), not before: until then nothing is kept."""
    calls = []

    @private_page
    def view(request):
        calls.append(1)
        return HttpResponse("ok", content_type="text/html")

    user = world.supervisee.user
    first = view(_request(user))
    view(_request(user))
    assert len(calls) == 2  # the first response was not closed yet: nothing kept
    _close(first)
    _serve(view, _request(user))
    assert len(calls) == 2  # kept when the first was closed

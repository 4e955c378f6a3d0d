"""The whole-page cache for visitors who are not signed in (portal/pagecache.py): served
without touching the database, retired on publish, never holding or serving anything
personal."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, override_settings

from portal.pagecache import AnonymousPageCacheMiddleware

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.XY_PAGE_CACHE = True


def _queries(client, path, **extra):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    return response, len(captured)


def test_second_visitor_is_served_from_the_cache_without_queries(client, add_news):
    add_news("春季法治讲座开讲")
    first, n_first = _queries(client, "/")
    assert first.status_code == 200 and n_first > 0
    assert "public" in first["Cache-Control"]
    # Content that is not a page (a class's places left) is at most this old.
    assert f"max-age={settings.XY_PUBLIC_PAGE_SECONDS}" in first["Cache-Control"]
    assert "csrftoken" not in first.cookies  # nothing per visitor on a public page

    second, n_second = _queries(Client(), "/")
    assert n_second == 0
    assert second.content == first.content
    # The security headers come back with the page.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"
    assert "春季法治讲座开讲" in second.content.decode()


def test_publishing_a_page_retires_every_cached_page(client, add_news):
    add_news("第一篇")
    client.get("/")
    client.get("/news/")
    add_news("刚刚发布的新闻")
    assert "刚刚发布的新闻" in Client().get("/").content.decode()
    assert "刚刚发布的新闻" in Client().get("/news/").content.decode()


def test_unpublishing_takes_the_page_out_of_cached_listings(client, add_news):
    page = add_news("要撤下的新闻")
    assert "要撤下的新闻" in client.get("/news/").content.decode()
    page.unpublish()
    assert "要撤下的新闻" not in Client().get("/news/").content.decode()


def test_signed_in_people_neither_get_nor_leave_cached_pages(client, login, add_news, world):
    add_news("新闻")
    anonymous = client.get("/").content.decode()
    person = login(world.supervisee.user)
    response = person.get("/")
    html = response.content.decode()
    assert html != anonymous
    assert "/dashboard/" in html  # their own menu
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # ...and what they saw is not what the next visitor gets.
    visitor = Client().get("/").content.decode()
    assert "/dashboard/" not in visitor
    assert visitor == anonymous


def test_each_language_is_cached_on_its_own(client, add_news):
    add_news("新闻")
    chinese = client.get("/").content.decode()
    english_client = Client()
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_client.get("/").content.decode()
    assert 'lang="zh-CN"' in chinese
    assert 'lang="en"' in english
    assert 'lang="zh-CN"' in Client().get("/").content.decode()


def test_a_visitor_with_a_session_or_a_token_goes_through_the_whole_stack(
        client, add_news):
    add_news("新闻")
    client.get("/")
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "not-a-real-session"
    _response, n = _queries(with_session, "/")
    assert n > 0
    _response, n = _queries(Client(), "/", HTTP_AUTHORIZATION="Bearer nonsense")
    assert n > 0
    _response, n = _queries(Client(), "/?page=2")  # another address, another entry
    assert n > 0


def test_the_public_course_api_is_cached_for_visitors_but_not_for_tokens(client, world):
    first = client.get("/api/v1/courses")
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    _response, n = _queries(Client(), "/api/v1/courses")
    assert n == 0
    signed_in = Client()
    signed_in.force_login(world.supervisee.user,
                          backend="portal.accounts.backends.UsernameOrPhoneBackend")
    response = signed_in.get("/api/v1/courses")
    assert "private" in response["Cache-Control"]


def test_forms_with_tokens_and_errors_are_never_stored(client):
    # The sign-in form carries a CSRF token: it is not marked public and not kept.
    client.get("/accounts/login/")
    response = Client().get("/accounts/login/")
    assert "public" not in response.get("Cache-Control", "")
    assert response.cookies.get(settings.CSRF_COOKIE_NAME) is not None
    # A missing page is not kept either.
    assert client.get("/no-such-page/").status_code == 404


@override_settings(XY_PUBLIC_PAGE_SECONDS=60)
def test_a_public_response_that_sets_a_cookie_or_fails_is_not_stored():
    from django.core.cache import cache

    def store(response):
        AnonymousPageCacheMiddleware.store("xy:page:test", "v", response)
        return cache.get("xy:page:test")

    ok = HttpResponse("ok")
    ok["Cache-Control"] = "public, max-age=60"
    with_cookie = HttpResponse("ok")
    with_cookie["Cache-Control"] = "public, max-age=60"
    with_cookie.set_cookie("csrftoken", "x")
    private = HttpResponse("ok")
    private["Cache-Control"] = "private, no-store"
    failed = HttpResponse("no", status=500)
    failed["Cache-Control"] = "public, max-age=60"
    assert store(with_cookie) is None
    assert store(private) is None
    assert store(failed) is None
    assert store(ok) is not None


def test_the_language_switch_needs_no_token(add_news):
    add_news("新闻")
    browser = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" not in browser.get("/").content.decode()
    response = browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in browser.get("/").content.decode()


def test_staff_pages_are_private(login, world):
    response = login(world.users["caseworker"]).get("/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_publish_on_another_server_is_seen_at_once(client, add_news):
    """Another app server's publish replaces the shared version token: the next visitor
    here gets the page rendered afresh."""
    from django.core.cache import cache

    from portal.pagecache import CMS_VERSION_KEY

    add_news("新闻")
    client.get("/")
    _response, n = _queries(Client(), "/")
    assert n == 0
    cache.set(CMS_VERSION_KEY, "published-elsewhere", None)
    _response, n = _queries(Client(), "/")
    assert n > 0


def test_a_page_with_a_view_restriction_is_never_cached(home, news_index, add_news):
    from wagtail.models import PageViewRestriction

    add_news("内部通知")
    PageViewRestriction.objects.create(page=news_index, restriction_type="password",
                                       password="secret")
    first = Client().get("/news/")
    assert "内部通知" not in first.content.decode()
    assert "public" not in first.get("Cache-Control", "")
    again, n = _queries(Client(), "/news/")
    assert n > 0 and "内部通知" not in again.content.decode()


def test_a_page_that_used_the_visitors_csrf_token_is_never_shared(rf):
    """A masked CSRF token gives away the visitor's CSRF secret: a public page that
    rendered one is not kept, whether or not a cookie goes out with it (here none does:
    the CSRF middleware that would renew the cookie is left out)."""
    from django.core.cache import cache
    from django.middleware.csrf import get_token

    def view(request):
        response = HttpResponse(f"<input value='{get_token(request)}'>")
        response["Cache-Control"] = "public, max-age=60"
        return response

    stack = AnonymousPageCacheMiddleware(view)
    request = rf.get("/some-public-page/")
    request.COOKIES[settings.CSRF_COOKIE_NAME] = "a" * 32
    request.META["CSRF_COOKIE"] = "a" * 32
    response = stack(request)
    assert response.status_code == 200 and not response.cookies
    key = AnonymousPageCacheMiddleware.key_for(request)
    assert cache.get(key) is None  # nothing kept

    # The same page without the token is kept: the test above is about the token.
    plain = AnonymousPageCacheMiddleware(lambda request: _public("plain"))
    plain(rf.get("/some-public-page/"))
    assert cache.get(AnonymousPageCacheMiddleware.key_for(rf.get("/some-public-page/")))


def _public(text):
    response = HttpResponse(text)
    response["Cache-Control"] = "public, max-age=60"
    return response

"""CMS pages found from kept routes (portal/ops/pagerouting.py): the same page as Wagtail's
walk down the tree, in fewer queries, and never a page that has since moved, been
unpublished or restricted."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from courses.models import Enrolment
from portal.ops import pagerouting
from tests.courses import factories as cf

FRESH = {"HTTP_CACHE_CONTROL": "no-cache"}  # built afresh, not the session's kept page


@pytest.fixture(autouse=True)
def _on(settings):
    settings.XY_PRIVATE_PAGE_CACHE = True
    cache.clear()
    pagerouting._routes.clear()
    yield
    cache.clear()
    pagerouting._routes.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks (the write tokens change on commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _html(response) -> str:
    """The page without what differs between two renders (the CSRF token's mask)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_project_routes_plainly_so_the_kept_routes_are_used():
    assert pagerouting.plain_routing()


def test_a_course_page_is_the_page_wagtail_finds_in_fewer_queries(world, login, settings,
                                                                   django_assert_num_queries):
    course = cf.course_create(title="民法典与生活", unit=world.bureau, lessons=2)
    cf.session_create(course)
    Enrolment.objects.create(supervisee=world.supervisee, course=course)
    client = login(world.users["supervisee"])
    client.get(course.url)  # the route is kept, the CSRF cookie set
    kept = client.get(course.url, **FRESH)
    settings.XY_PRIVATE_PAGE_CACHE = False
    walked = client.get(course.url, **FRESH)
    assert kept.status_code == walked.status_code == 200
    assert _html(kept) == _html(walked)
    assert "民法典与生活" in _html(kept)
    settings.XY_PRIVATE_PAGE_CACHE = True
    # The account, the course row, and the person's record, enrolment, lessons done and
    # classes (read together); Wagtail's walk adds the site, the home page, the
    # catalogue and their rows, the ancestors and their view restrictions.
    with django_assert_num_queries(6):
        client.get(course.url, **FRESH)
    settings.XY_PRIVATE_PAGE_CACHE = False
    with django_assert_num_queries(13):
        client.get(course.url, **FRESH)


def test_the_catalogue_and_home_are_the_pages_wagtail_finds(world, login, settings):
    cf.course_create(title="民法典与生活", unit=world.bureau)
    client = login(world.users["supervisee"])
    for path in ("/", "/courses/"):
        client.get(path)
        kept = _html(client.get(path, **FRESH))
        settings.XY_PRIVATE_PAGE_CACHE = False
        assert _html(client.get(path, **FRESH)) == kept
        settings.XY_PRIVATE_PAGE_CACHE = True


def test_an_unpublished_page_is_gone_at_once(world, login, commit):
    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    client = login(world.users["supervisee"])
    assert client.get(course.url).status_code == 200
    url = course.url
    with commit():
        course.unpublish()
    assert client.get(url, **FRESH).status_code == 404
    assert Client().get(url).status_code == 404


def test_a_renamed_page_moves_to_its_new_address(world, login, commit):
    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    client = login(world.users["supervisee"])
    old = course.url
    assert client.get(old).status_code == 200
    with commit():
        course.slug = "civil-code"
        course.save_revision().publish()
    moved = client.get(old, **FRESH)  # Wagtail's automatic redirect from the old slug
    assert moved.status_code == 301 and moved["Location"] == "/courses/civil-code/"
    page = client.get("/courses/civil-code/", **FRESH)
    assert page.status_code == 200 and "民法典与生活" in page.content.decode()


def test_an_address_without_a_page_finds_the_page_published_there_later(world, login, commit):
    client = login(world.users["supervisee"])
    assert client.get("/courses/new-course/").status_code == 404
    assert client.get("/courses/new-course/", **FRESH).status_code == 404  # kept: no page
    with commit():
        course = cf.course_create(title="新开的课程", unit=world.bureau)
        course.slug = "new-course"
        course.save_revision().publish()
    page = client.get("/courses/new-course/", **FRESH)
    assert page.status_code == 200 and "新开的课程" in page.content.decode()


def test_a_restriction_added_above_a_page_applies_at_once(world, login, commit):
    from django.contrib.auth.models import Group

    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    client = login(world.users["supervisee"])
    visitor = Client()
    assert client.get(course.url).status_code == 200
    assert visitor.get(course.url).status_code == 200
    index = Page.objects.get(pk=course.get_parent().pk)
    with commit():
        restriction = PageViewRestriction.objects.create(
            page=index, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.add(Group.objects.create(name="内部"))
    refused = client.get(course.url, **FRESH)
    assert refused.status_code in (302, 403) and "民法典与生活" not in _html(refused)
    assert Client().get(course.url).status_code == 302  # to sign in
    with commit():
        restriction.delete()
    assert client.get(course.url, **FRESH).status_code == 200


def test_an_alias_has_the_restrictions_of_its_source(world):
    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    other = cf.course_create(title="另一门课", unit=world.bureau)
    alias = course.create_alias(parent=other, update_slug="civil-code-alias")
    assert not alias.specific.get_view_restrictions().exists()
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    cache.clear()  # as a committed write would change the tokens
    assert alias.specific.get_view_restrictions().exists()
    assert course.get_view_restrictions().exists()
    assert not other.get_view_restrictions().exists()


def test_without_kept_routes_wagtail_routes_as_ever(world, login, monkeypatch):
    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    monkeypatch.setattr(pagerouting, "plain_routing", lambda: False)
    client = login(world.users["supervisee"])
    assert client.get(course.url).status_code == 200
    assert not pagerouting._routes


def test_the_pages_row_and_the_persons_reads_go_to_the_database_together(
        world, login, monkeypatch):
    """On a course page and the catalogue, the page's row is read together with what
    the page reads of the person (one round trip on PostgreSQL): nothing reads the
    person again on its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.ops import prepared

    course = cf.course_create(title="民法典与生活", unit=world.bureau)
    cf.session_create(course)
    client = login(world.users["supervisee"])
    batches = []
    real = prepared._run_together

    def recording(conn, statements):
        batches.append(len(statements))
        return real(conn, statements)

    monkeypatch.setattr(prepared, "_run_together", recording)
    for url, together in ((course.url, 5), ("/courses/", 4)):
        client.get(url)
        client.get(url, **FRESH)  # statements kept compiled by now
        batches.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **FRESH).status_code == 200
        assert batches == [together], url
        # The account's own query, then only the batch.
        assert len(queries) == 1 + together, [q["sql"][:80] for q in queries]


def test_the_catalogue_token_comes_with_the_session_and_follows_a_change(
        world, login, monkeypatch, commit):
    """The catalogue reads its token on every request; from the second build at a path
    on, it comes with the session (privatecache.read_early), and a catalogue change is
    still seen on the next request."""
    from courses import cache as kept

    cf.course_create(title="民法典与生活", unit=world.bureau)
    client = login(world.users["supervisee"])
    client.get("/courses/")
    client.get("/courses/", **FRESH)  # the path's keys are known by now
    alone, together = [], []
    real_get = cache.get

    def get(key, *args, **kwargs):
        alone.append(key)
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        together.extend(keys)
        return {k: v for k in keys if (v := real_get(k)) is not None}

    monkeypatch.setattr(cache, "get", get)
    monkeypatch.setattr(cache, "get_many", get_many)
    assert "民法典与生活" in client.get("/courses/", **FRESH).content.decode()
    assert kept.TOKEN_KEY in together and kept.TOKEN_KEY not in alone
    with commit():
        cf.course_create(title="孝道与家风", unit=world.bureau, category_slug="culture")
    assert "孝道与家风" in client.get("/courses/", **FRESH).content.decode()

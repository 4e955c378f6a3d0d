"""portal/ops/pageurls.page_url gives exactly what Wagtail's page.get_url(request) gives,
for siblings under one parent (ASCII and Chinese slugs), nested pages, a page that is
another site's root, pages of another site, and without a request."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from cms.models import HomePage, NewsIndexPage, NewsPage
from portal.ops.pageurls import page_url


@pytest.fixture
def tree(db):
    home = HomePage.objects.get()
    index = home.add_child(instance=NewsIndexPage(title="新闻", slug="news"))
    for slug in ("a", "b-2", "普法宣传", "x y"):
        index.add_child(instance=NewsPage(title=slug, slug=slug.replace(" ", "-"),
                                          date="2026-01-01"))
    other = home.add_child(instance=NewsIndexPage(title="另一站点", slug="elsewhere"))
    other.add_child(instance=NewsPage(title="别处", slug="there", date="2026-01-01"))
    Site.objects.create(hostname="other.example", port=80, root_page=other)
    return home


@pytest.mark.parametrize("kept", [False, True])
@pytest.mark.parametrize("host", ["testserver", "other.example"])
def test_page_url_is_wagtails_url_for_every_page(tree, host, kept, settings):
    """`kept`: with the per-process site lookup (privatecache on), each host its own."""
    settings.XY_PRIVATE_PAGE_CACHE = kept
    if kept:  # the other host's site, kept first, must not answer for this one
        page_url(Page.objects.filter(depth__gt=2).specific().first(),
                 RequestFactory().get("/", HTTP_HOST="nowhere.example"))
    request = RequestFactory().get("/", HTTP_HOST=host)
    pages = list(Page.objects.filter(depth__gt=1).specific().order_by("path"))
    assert len(pages) >= 8
    expected = [p.get_url(RequestFactory().get("/", HTTP_HOST=host)) for p in pages]
    assert [page_url(p, request) for p in pages] == expected
    assert [page_url(p, request) for p in reversed(pages)] == expected[::-1]  # kept prefixes
    assert [page_url(p, None) for p in pages] == [p.get_url(None) for p in pages]
    assert any("%E6%99%AE" in url for url in expected)  # the Chinese slug, quoted


def test_site_root_paths_are_kept_until_a_site_changes(tree, settings, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    """With the page cache on, Wagtail's site root paths are read once per process, not
    once a request, put where Wagtail's own URL methods find them, and read again once
    a site is changed."""
    settings.XY_PRIVATE_PAGE_CACHE = True
    there = Page.objects.get(slug="there").specific

    def request():
        return RequestFactory().get("/", HTTP_HOST="other.example")

    assert page_url(there, request()) == "/there/"
    calls = []
    original = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths",
                        staticmethod(lambda: calls.append(1) or original()))
    again = request()
    assert page_url(there, again) == "/there/"
    assert there.get_url(again) == "/there/"
    assert calls == []
    with django_capture_on_commit_callbacks(execute=True):  # the write tokens change
        Site.objects.get(hostname="other.example").delete()
    assert page_url(there, request()) == "/elsewhere/there/"
    assert calls == [1]

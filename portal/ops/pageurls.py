"""`page.get_url(request)` for pages listed many at a time (a person's courses, the
catalogue's cards): Wagtail works each URL out afresh (the site root paths that cover the
page, the route reversed, relative or absolute for the request's site), about 0.13 ms a
page. Siblings differ only in their own slug, so the first of a parent's children is
asked of Wagtail and the others are its URL with their slug in its place, quoted as
Django's reverse() quotes a path. A page whose URL does not end in its quoted slug, or
that is itself a site's root, is asked of Wagtail every time; the prefixes are kept on
the request only (tests/cms/test_page_urls.py compares with Wagtail on every page).
"""

from __future__ import annotations

from urllib.parse import quote

from django.urls.resolvers import RFC3986_SUBDELIMS

_SAFE = RFC3986_SUBDELIMS + "/~:@"


def page_url(page, request) -> str | None:
    from wagtail.models import Site

    prefixes = getattr(request, "_xy_page_prefixes", None) if request is not None else None
    if prefixes is None:
        prefixes = {}
        if request is not None:
            request._xy_page_prefixes = prefixes
    url_path = page.url_path or ""
    parent = url_path[: url_path.rstrip("/").rfind("/") + 1]
    tail = quote(page.slug, safe=_SAFE) + "/"
    prefix = prefixes.get(parent)
    if prefix is not None and url_path not in _roots(Site, request):
        return prefix + tail
    if request is not None and not hasattr(request, "_wagtail_site"):
        request._wagtail_site = site_for(request)
        site_root_paths(request)
    url = page.get_url(request)
    if url and url.endswith(tail) and parent and url_path not in _roots(Site, request):
        prefixes[parent] = url[: -len(tail)]
    return url


def _roots(Site, request) -> set:
    roots = getattr(request, "_xy_site_roots", None) if request is not None else None
    if roots is None:
        roots = {r.root_path for r in site_root_paths(request)}
        if request is not None:
            request._xy_site_roots = roots
    return roots


def site_root_paths(request) -> list:
    """Site.get_site_root_paths() (a cache round trip each time in Wagtail), kept per
    process until the sites, pages or locales tables are written (privatecache), and
    put where Wagtail's own URL methods look for it on the request, so the request's
    other page URLs (`pageurl`, `slugurl`, `page.get_url`) need no round trip either."""
    from wagtail.models import Locale, Page, Site

    from portal.privatecache import kept_while_unchanged

    if request is None:
        return Site.get_site_root_paths()
    try:
        return request._wagtail_cached_site_root_paths
    except AttributeError:
        pass
    paths = kept_while_unchanged(
        "wagtail:site_root_paths",
        (Site._meta.db_table, Page._meta.db_table, Locale._meta.db_table),
        Site.get_site_root_paths)
    request._wagtail_cached_site_root_paths = paths
    return paths


def site_for(request):
    """Site.find_for_request(request) (one query each request in Wagtail), kept per process
    for the host and port until the sites table is written (privatecache)."""
    from wagtail.models import Site

    from portal.privatecache import kept_while_unchanged

    host, port = request._get_raw_host(), request.get_port()
    return kept_while_unchanged(f"wagtail:site:{host}:{port}", (Site._meta.db_table,),
                                lambda: Site._find_for_request(request))

"""Serving a CMS page without Wagtail's walk down the page tree on every request.

Wagtail finds the page for `/courses/some-course/` by reading the site (one query), the
site's root page and its specific row (two), then for each part of the path the child
with that slug and its specific row (two more each), and then the ancestors of the page
and their view restrictions (two). For the catalogue that is seven queries, and about
half of a signed-in person's request, before the page itself starts.

Which page a path leads to depends only on the sites, the page tree and the locales, so
`serve` keeps the answer of Wagtail's own route (the page's id and type, or "no page")
per site, language and path until one of those tables is written (the write tokens of
portal/privatecache.py), and then reads the page with one kept statement of its type
(portal/ops/prepared.py). Whether a page has view restrictions is kept the same way:
the paths of restricted pages and of aliases, so a page with neither above it needs no
query (`view_restrictions`).

Wagtail's `serve` view still does the rest (its hooks, the restriction check, the page's
own `serve`): the route is handed to it where it looks for one it worked out before,
`request._wagtail_route_for_request`. Signed-in pages are kept per session like the
portal's own pages (`private_page`), which also brings the tables' tokens with the
session in one round trip.

The kept route is used only where it must be what Wagtail finds: every page type routes
as `Page.route` does (none is routable), and the write tokens are kept (the page cache
is on). Otherwise Wagtail routes as ever.
"""

from __future__ import annotations

from functools import lru_cache

from django.http import Http404
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.url_routing import RouteResult

from portal import privatecache
from portal.ops.pageurls import site_for
from portal.ops.prepared import Variants, ahead

ROUTE_TABLES = (Page._meta.db_table, Site._meta.db_table, Locale._meta.db_table)
RESTRICTION_TABLES = (Page._meta.db_table, PageViewRestriction._meta.db_table)
# (site, language, path) -> (tokens, route): bounded, a few hundred bytes an entry.
_routes: dict = {}
ROUTES_MAX = 20_000
NOT_KEPT = object()


@lru_cache(maxsize=1)
def plain_routing() -> bool:
    """Every page type finds its children by slug, as `Page.route` does."""
    return all(model.route is Page.route for model in get_page_models())


@Variants
def _page_row(model):
    def build(page_id: int):
        return model._default_manager.filter(pk=page_id)

    return build


def _wagtail_route(request, site, path: str):
    """(page id, page type) of what Wagtail's route finds, or None for no page."""
    components = [component for component in path.split("/") if component]
    root = Page.objects.get(pk=site.root_page_id)  # not the kept site's own instance
    try:
        result = root.localized.specific.route(request, components)
    except Http404:
        return None
    page, args, kwargs = result
    if args or kwargs:
        return NOT_KEPT
    return page.pk, type(page)


def find_target(request, path: str):
    """(page id, page type) of the page at `path` as Wagtail's route finds it, None for
    no page, or NOT_KEPT when Wagtail should work it out itself."""
    if not (privatecache.enabled() and plain_routing()):
        return NOT_KEPT
    site = site_for(request)
    if site is None:
        return NOT_KEPT
    request._wagtail_site = site
    name = f"{site.pk}:{translation.get_language()}:{path}"
    return privatecache.kept_while_unchanged(
        name, ROUTE_TABLES, lambda: _wagtail_route(request, site, path),
        store=_routes, max_entries=ROUTES_MAX)


def find_route(request, path: str):
    """Wagtail's RouteResult for `path`, None for no page, or NOT_KEPT when Wagtail
    should work it out itself."""
    target = find_target(request, path)
    if target is None or target is NOT_KEPT:
        return target
    return _route_of(*target)


def _route_of(page_id: int, model):
    rows = _page_row[model](page_id=page_id)
    if not rows or not rows[0].live:
        return NOT_KEPT  # changed under us (the tokens catch it next time)
    return RouteResult(rows[0])


def serve(request, path):
    """wagtail.views.serve, with the route found as the module's docstring says. The
    page's row is read together with what its page type says its page will read
    (`reads_ahead(request, page_id)`, a list for portal.ops.prepared.ahead): one round
    trip to the database for both."""
    if hasattr(request, "_wagtail_route_for_request"):
        return wagtail_views.serve(request, path)
    target = find_target(request, path)
    if target is None or target is NOT_KEPT:
        if target is None:
            request._wagtail_route_for_request = None
        return wagtail_views.serve(request, path)
    page_id, model = target
    reads = [(_page_row[model], {"page_id": page_id})]
    reads_ahead = getattr(model, "reads_ahead", None)
    if reads_ahead is not None and request.method in ("GET", "HEAD"):
        reads.extend(reads_ahead(request, page_id))
    with ahead(*reads):
        found = _route_of(page_id, model)
        if found is not NOT_KEPT:
            request._wagtail_route_for_request = found
        return wagtail_views.serve(request, path)


kept_serve = privatecache.private_page(serve)


def _restricted_and_aliased() -> tuple[frozenset, frozenset]:
    return (frozenset(PageViewRestriction.objects.values_list("page__path", flat=True)),
            frozenset(Page.objects.filter(alias_of__isnull=False)
                      .values_list("path", flat=True)))


def view_restrictions(page):
    """`page.get_view_restrictions()`, without a query for a page that has no restricted
    page and no alias among itself and its ancestors (a page's ancestors are the pages
    whose paths begin its own)."""
    if not privatecache.enabled():
        return None
    restricted, aliased = privatecache.kept_while_unchanged(
        "wagtail:view-restrictions", RESTRICTION_TABLES, _restricted_and_aliased)
    steps = {page.path[:end] for end in range(Page.steplen, len(page.path) + 1,
                                                Page.steplen)}
    if steps & restricted or steps & aliased:
        return None
    return PageViewRestriction.objects.none()

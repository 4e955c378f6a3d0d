"""Reads for the public site. Every listing shows only live pages without view
restrictions, whoever asks: the public site is the same for everybody, so nothing a
signed-in person sees here can differ from what an anonymous visitor sees."""

from django.db.models import Case, Value, When
from wagtail.models import Page

from .search import query_terms


def news_for_index(user, index_page):
    """The news items of a news index, newest first, with what the listing renders."""
    from .models import NewsPage

    return (
        NewsPage.objects.child_of(index_page).live().public().defer_streamfields()
        .order_by("-date", "-pk")
    )


def latest_news(user, *, limit: int = 3) -> list:
    from .models import NewsPage

    return list(
        NewsPage.objects.live().public().defer_streamfields()
        .order_by("-date", "-pk")[:limit]
    )


def partners_for_directory(user, directory_page, *, kind: str = ""):
    """Partner pages of a directory whose organisation is still active, optionally of
    one kind, grouped by kind."""
    from portal.organisations.models import Organisation

    from .models import PartnerPage

    partners = (
        PartnerPage.objects.child_of(directory_page).live().public()
        .filter(organisation__is_active=True)
        .select_related("organisation", "organisation__district")
        .defer_streamfields()
    )
    if kind in Organisation.Kind.values:
        partners = partners.filter(organisation__kind=kind)
    # Kinds in the order they are declared (NGOs first), then by name.
    kind_order = Case(*(When(organisation__kind=value, then=Value(position))
                        for position, value in enumerate(Organisation.Kind.values)))
    return partners.order_by(kind_order, "title", "pk")


def subpages_of(user, page):
    """Live public child pages shown in a content page's table of contents."""
    return page.get_children().live().public()


def pages_matching(user, query: str):
    """Live public pages matching `query` (see cms.search), best first."""
    terms = query_terms(query)
    if not terms:
        return Page.objects.none()
    return (
        Page.objects.live().public().filter(depth__gt=1).specific()
        .search(terms, operator="and")
    )

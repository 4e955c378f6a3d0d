from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .search import MAX_QUERY_LENGTH

RESULTS_PER_PAGE = 10


def search(request):
    """Public search over live public pages. An empty query shows the form; a very long
    one is cut to MAX_QUERY_LENGTH characters and says so."""
    raw = request.GET.get("q", "")
    query = " ".join(raw.split())  # collapse whitespace, newlines included
    shortened = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH]
    results = selectors.pages_matching(request.user, query)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cms/search.html", {
        "query": query,
        "results": page,
        "shortened": shortened,
        "max_length": MAX_QUERY_LENGTH,
        "query_string": urlencode({"q": query}) + "&" if query else "",
    })

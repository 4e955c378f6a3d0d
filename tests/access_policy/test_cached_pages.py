"""The signed-in pages kept per session (portal/privatecache.py) answer every role exactly
as the page built afresh does: the same outcome and the same content, on every such URL
that takes no arguments and on the API calls that use the cache."""

import re

from django.test import Client
from django.urls import resolve

from tests.access_policy.test_access_policy import LOGIN_BACKEND, url_patterns

API_CALLS = ["/api/v1/activities", "/api/v1/me/hours", "/api/v1/me/courses"]
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def cached_urls() -> list[str]:
    urls = []
    for pattern in url_patterns():
        if pattern.takes_args or not pattern.literal_path:
            continue
        try:
            match = resolve(pattern.literal_path)
        except Exception:  # noqa: BLE001 - a pattern the walk cannot resolve plainly
            continue
        if getattr(match.func, "private_page", False):
            urls.append(pattern.literal_path)
    return sorted(set(urls)) + API_CALLS


def _same(response) -> tuple[int, str]:
    body = response.content.decode(errors="replace")
    return response.status_code, TOKEN.sub(r'\1…"', body)


def test_the_walk_finds_the_cached_pages():
    urls = cached_urls()
    for expected in ("/service/", "/service/me/", "/learning/", "/learning/hours/",
                     "/dashboard/", "/people/", "/casework/today/", "/jobs/me/"):
        assert expected in urls


ROLES = ["supervisee", "other_supervisee", "juvenile", "caseworker", "other_caseworker",
         "unit_admin", "ngo", "enterprise", "counsellor", "editor", "superuser"]


def test_every_role_gets_from_the_cache_what_it_gets_afresh(world, settings,
                                                           django_assert_max_num_queries):
    """All roles share one cache here, one after another, so a page kept for one role
    and shown to another would show up as a difference."""
    urls = cached_urls()
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(world.users[role], backend=LOGIN_BACKEND)
    afresh = {}
    settings.XY_PRIVATE_PAGE_CACHE = False
    for role, client in clients.items():
        for url in urls:
            afresh[role, url] = _same(client.get(url))
    settings.XY_PRIVATE_PAGE_CACHE = True
    differences, hits = [], 0
    for client in clients.values():
        for url in urls:
            client.get(url)  # built and kept (the CSRF cookie is already there)
    for role, client in clients.items():
        for url in urls:
            kept = client.get(url)
            if _same(kept) != afresh[role, url]:
                differences.append(f"{role} {url}: {afresh[role, url][0]} afresh, "
                                   f"{kept.status_code} kept")
            hits += kept.status_code == 200
    assert not differences, "\n".join(differences)
    assert hits > len(ROLES)  # the comparison was of kept pages, not only of refusals
    with django_assert_max_num_queries(2):  # and they were answered from the cache
        clients["supervisee"].get("/service/me/")

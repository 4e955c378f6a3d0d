import re

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used two-factor codes live in the cache (local memory in tests):
    each test starts with none, whatever ran before."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    """The test client reads pages in English (the portal's second language), so tests
    can look for the English messages whatever the Chinese catalogue says."""
    client.cookies["xy_language"] = "en"
    return client


@pytest.fixture
def login(client):
    """As the project's login fixture, but keeps the language cookie that Client.logout()
    would throw away."""

    def _login(user):
        language = client.cookies.get("xy_language")
        client.logout()
        if language is not None:
            client.cookies["xy_language"] = language.value
        if user is not None:
            client.force_login(user, backend="portal.accounts.backends.UsernameOrPhoneBackend")
        return client

    return _login


def sign_in(client, login, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": login, "password": password, **extra})


def link_token(html: str) -> str:
    match = re.search(r"/accounts/invitation/([A-Za-z0-9_\-]+)/", html)
    assert match, "no invitation link in the page"
    return match.group(1)

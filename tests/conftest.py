import pytest
from django.core.cache import cache

from tests.factories import PASSWORD
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """login(user) signs the test client in as `user` (None: stay anonymous)."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="portal.accounts.backends.UsernameOrPhoneBackend")
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()

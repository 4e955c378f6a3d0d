import json

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the (process-wide) cache; each test starts clean.
    cache.clear()
    yield
    cache.clear()


class Api:
    """A thin JSON client for /api/v1/ on top of Django's test client."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def _headers(self, token):
        token = token if token is not None else self.token
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, token=None, **extra):
        return self.client.get(f"/api/v1{path}", **self._headers(token), **extra)

    def post(self, path, body=None, token=None, raw=None, **extra):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(f"/api/v1{path}", data=data, content_type="application/json",
                                **self._headers(token), **extra)

    def delete(self, path, token=None, **extra):
        return self.client.delete(f"/api/v1{path}", **self._headers(token), **extra)

    def sign_in(self, username, password=PASSWORD, **more):
        response = self.post("/auth/token", {"username": username, "password": password,
                                             **more})
        assert response.status_code == 200, response.content
        self.token = response.json()["token"]
        return self.token


@pytest.fixture
def api(client):
    return Api(client)


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    return body

"""Django's Redis cache backend (settings.CACHES when REDIS_URL is set) against the Redis
server of this machine: what is set is read back, one by one and many at once."""

import os

import pytest

REDIS_URL = os.environ.get("XY_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture
def cache():
    import redis
    from django.core.cache.backends.redis import RedisCache

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "xy-test"})
    backend.clear()
    yield backend
    backend.clear()


def test_values_come_back_one_by_one_and_many_at_once(cache):
    keys = ["session:abc", "xy:page:1", "xy:cms-version"]
    for n, key in enumerate(keys):
        cache.set(key, {"n": n, "text": "向阳"}, 30)
    assert [cache.get(key) for key in keys] == [{"n": n, "text": "向阳"}
                                               for n in range(len(keys))]
    assert cache.get_many([*keys, "missing"]) == {
        key: {"n": n, "text": "向阳"} for n, key in enumerate(keys)}
    cache.delete(keys[0])
    assert cache.get(keys[0]) is None and cache.get(keys[1])["n"] == 1

"""The portal's Redis cache backend (portal/ops/rediscache.py) against the Redis server of
this machine: what is set is read back, one by one and many at once, whatever the key
holds (Redis takes keys memcached would refuse, so the backend does not walk them), and
redis-py parses the replies with hiredis (pyproject.toml)."""

import os
import warnings

import pytest

REDIS_URL = os.environ.get("XY_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture
def cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    from portal.ops.rediscache import RedisCache

    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "xy-test"})
    backend.clear()
    yield backend
    backend.clear()


def test_values_come_back_one_by_one_and_many_at_once(cache):
    keys = ["session:abc", "带空格 的键", "x" * 300, "tab\tand\nnewline"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no memcached key warnings either
        for n, key in enumerate(keys):
            cache.set(key, {"n": n, "text": "向阳"}, 30)
        assert [cache.get(key) for key in keys] == [{"n": n, "text": "向阳"}
                                                   for n in range(len(keys))]
        assert cache.get_many([*keys, "missing"]) == {
            key: {"n": n, "text": "向阳"} for n, key in enumerate(keys)}
        cache.delete(keys[0])
        assert cache.get(keys[0]) is None and cache.get(keys[1])["n"] == 1


def test_replies_are_parsed_by_hiredis(cache):
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE
    client = cache._cache.get_client()
    assert client is cache._cache.get_client()  # one client per pool
    connection = client.connection_pool.get_connection()
    try:
        assert "Hiredis" in type(connection._parser).__name__
    finally:
        client.connection_pool.release(connection)

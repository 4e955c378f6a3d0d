"""Django's Redis cache backend, keeping one redis-py client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache
call; with redis-py 8 that object costs more to build than the round trip to a local
Redis takes (about 0.1 ms each on the build machine, and a signed-in request makes three
or four cache calls: the session, the page cache's entry and its tokens). A client is
only a thin handle on the shared, thread-safe connection pool, so one per pool serves
every thread."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient

    def validate_key(self, key):
        """Nothing to warn of: Django warns of keys memcached would refuse (spaces,
        control characters, over 250 characters), which Redis takes as they are; the
        check walks every character of every key (about 20 Python calls a key)."""

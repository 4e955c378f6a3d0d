"""Sessions: Django's cached_db store, read in the same round trip to the cache as the
write tokens the page cache will want for the page asked for (portal.privatecache).

A signed-in page first reads the session from the cache (Redis), then, in private_page,
the write tokens of the tables that page read the last time it was built at that path:
two round trips, one after the other, on every request. SessionMiddleware here tells the
store which token keys the path will want (`also_read`), and the store reads them with
the session; private_page takes them from the store (`read_with`) and asks the cache
only for any others. Reading a token earlier than needed is always safe: a page is then
kept with a token that may be older than its rows, so it is at worst rebuilt once more.
"""

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware


class SessionStore(cached_db.SessionStore):
    also_read: tuple[str, ...] = ()  # cache keys to read with the session
    read_with: dict | None = None  # what they held (keys missing from the cache left out)

    def load(self):
        if not self.also_read:
            return super().load()
        try:
            found = self._cache.get_many([self.cache_key, *self.also_read])
        except Exception:  # noqa: BLE001 - as Django's store: no cache, read the database
            return super().load()
        data = found.pop(self.cache_key, None)
        self.read_with = found
        return data if data is not None else super().load()


class SessionMiddleware(DjangoSessionMiddleware):
    def process_request(self, request):
        super().process_request(request)
        if request.method == "GET" and isinstance(request.session, SessionStore):
            from portal import privatecache

            request.session.also_read = privatecache.token_keys_for(request.path_info)

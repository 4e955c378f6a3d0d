"""Reads to a PostgreSQL read replica, everything else to the primary (docs/deploy.md).

Active only when settings.DATABASES has a "replica" alias (REPLICA_DATABASE_URL).
Then:

- plain reads go to the replica;
- writes go to the primary, and so do locking reads: select_for_update() marks its
  queryset for writing, so Django asks db_for_write;
- reads inside a transaction on the primary stay there (they must see the transaction's
  own writes and the rows it locked);
- after the first write of a request, the rest of the request reads the primary too, so
  a person who just signed up sees their sign-up (a replica lags by a moment).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_started
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"

_wrote = ContextVar("xy_wrote_to_primary", default=False)


def _new_request(**kwargs) -> None:
    _wrote.set(False)


request_started.connect(_new_request, dispatch_uid="portal.db_router.new_request")


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA not in settings.DATABASES:
            return None
        if _wrote.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        if REPLICA in settings.DATABASES:
            _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica receives the schema by replication, never by migrate.
        return db != REPLICA

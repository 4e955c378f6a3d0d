"""Django's PostgreSQL backend with a health check that costs no round trip.

Persistent connections are checked at the start of every request (CONN_HEALTH_CHECKS):
Django's check sends `SELECT 1` and waits for the answer, one round trip on every request
(about a quarter of a millisecond on loopback, a twentieth of a short page). A
connection the server or a pooler has closed (a restart, an idle timeout,
pg_terminate_backend) has a socket with something to read: the server's goodbye message
or the end of the stream. So an idle connection whose socket has nothing to read is
taken as usable at once; one that has something waiting, or that is not idle, gets
Django's own check. tests/test_db_health.py proves both on PostgreSQL.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            if connection.info.transaction_status == TransactionStatus.IDLE:
                readable, _, _ = select.select([connection.fileno()], [], [], 0)
                if not readable:
                    return True
        except (OSError, ValueError):
            return False
        return super().is_usable()

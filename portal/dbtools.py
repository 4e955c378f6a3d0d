"""What the portal's PostgreSQL connections need around prepared statements.

The connections bind parameters on the server and prepare a statement once it has run a
few times (settings: DB_PREPARED_STATEMENTS, DB_PREPARE_THRESHOLD), so the statements
every page runs are planned once per connection. Two things do not fit that:

- a script of several commands (functions, triggers): `run_script` sends it as one text
  without parameters, which psycopg sends over the simple query protocol (the commands
  run in order within the current transaction) and never prepares;
- a statement whose best plan depends on its values, where the server's generic plan
  (chosen when its estimate is close to the planned-for-the-values one) is much slower:
  a unit's subtree is `path LIKE '<prefix>%'`, which a generic plan cannot turn into an
  index range, so the unit dashboard's ledger totals went from 30 to 95 ms.
  `planned_for_values()` runs the statements inside it unprepared, planned each time.
"""

from contextlib import contextmanager

from django.db import connections


def run_script(connection, sql: str) -> None:
    """Run `sql`, which may hold several commands; it takes no parameters."""
    with connection.cursor() as cursor:
        cursor.execute(sql)


@contextmanager
def planned_for_values(using: str | None = None):
    """Statements run inside are planned for their own values every time (not prepared).
    Does nothing where statements are not prepared (SQLite, DB_PREPARED_STATEMENTS=0)."""
    aliases = [using] if using else list(connections)
    saved = []
    for alias in aliases:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        connection.ensure_connection()
        raw = connection.connection
        if raw.prepare_threshold is not None:
            saved.append((raw, raw.prepare_threshold))
            raw.prepare_threshold = None
    try:
        yield
    finally:
        for raw, threshold in saved:
            raw.prepare_threshold = threshold

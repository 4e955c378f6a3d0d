"""The tables triggers write, as the code lists them (portal/rollups.py: each roll-up's
`kept_from`, and OTHER_KEPT), against the triggers the database has: a trigger added or
dropped by a migration without the registry (or the other way round) fails here, on both
engines. The append-only triggers are held to portal/appendonly.py by
tests/trust/test_immutable_records.py."""

import re

import pytest
from django.db import connection

from portal import rollups
from tests.volunteering.pg import requires_postgres

# A statement writing a table: INSERT INTO t, UPDATE t, DELETE FROM t ("DO UPDATE SET" of
# an upsert writes the table it inserts into).
WRITES = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE)


def listed():
    """{(table with the trigger, table it writes)} as the code lists them."""
    pairs = {(source, rollup.table) for rollup in rollups.ROLLUPS.values()
             for source in rollup.kept_from}
    pairs |= {(source, table) for table, sources in rollups.OTHER_KEPT.items()
              for source in sources}
    return pairs


def written(triggers):
    """{(table, table written)} from (table, trigger body) pairs; a trigger that only
    corrects its own table's row is left out."""
    pairs = set()
    for table, body in triggers:
        for target in WRITES.findall(body):
            if target.upper() != "SET" and target != table:
                pairs.add((table, target))
    return pairs


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db
def test_postgres_triggers_write_the_tables_the_registry_lists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, p.prosrc FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal")
        triggers = cursor.fetchall()
    assert written(triggers) == listed()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own triggers")
@pytest.mark.django_db
def test_sqlite_triggers_write_the_tables_the_registry_lists():
    with connection.cursor() as cursor:
        # Wagtail's search index keeps its full-text table by triggers of its own.
        cursor.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
                       " AND tbl_name NOT LIKE 'wagtail%'")
        # The statements follow BEGIN (before it: the event, columns and WHEN).
        triggers = [(table, sql.split("BEGIN", 1)[1]) for table, sql in cursor.fetchall()]
    assert written(triggers) == listed()


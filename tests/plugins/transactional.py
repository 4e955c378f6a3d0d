"""Transactional tests (live_server, transaction=True, transactional_db) on both databases.

Django empties the database after each transactional test. Two things follow:

1. What the migrations created (the Wagtail page tree and site, the groups, content
   types, default targets) is gone for the next test, and the flush re-creates content
   types and permissions with new ids, so a later test that asks for a serialized
   rollback fails on duplicate content types. Here every transactional test gets
   `serialized_rollback=True`: each one starts from the database as the migrations left
   it, whatever ran before it. It stays on for all of them: nearly every one builds the
   test world, which needs the migrations' groups, and a flush without it brings the
   content types back under new ids for the next test to trip on.
2. On PostgreSQL the append-only tables (the access log, the hours ledger) refuse
   TRUNCATE by trigger (portal/audit/migrations/0002, volunteering/migrations/0002), and
   the flush is one TRUNCATE of every table. Here the flush switches the user triggers of
   exactly those tables off around its TRUNCATE, in the same transaction; nothing else in
   a test run can get past the triggers.

Loaded by pyproject.toml's addopts (`-p tests.plugins.transactional`).
"""

import pytest

_original = None


def _sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    sql = _original(self, style, tables, reset_sequences=reset_sequences,
                    allow_cascade=allow_cascade)
    if not sql or not tables:
        return sql
    with self.connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname = ANY(%s) ORDER BY c.relname",
            [list(tables)],
        )
        guarded = [row[0] for row in cursor.fetchall()]
    if not guarded:
        return sql
    quote = self.quote_name
    return (
        [f"ALTER TABLE {quote(t)} DISABLE TRIGGER USER;" for t in guarded]
        + list(sql)
        + [f"ALTER TABLE {quote(t)} ENABLE TRIGGER USER;" for t in guarded]
    )


def pytest_configure(config):
    global _original
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # psycopg not installed: no PostgreSQL runs
        return
    if _original is None:
        _original = DatabaseOperations.sql_flush
        DatabaseOperations.sql_flush = _sql_flush


def pytest_unconfigure(config):
    global _original
    if _original is not None:
        from django.db.backends.postgresql.operations import DatabaseOperations

        DatabaseOperations.sql_flush = _original
        _original = None


DJANGO_DB_ARGS = ("transaction", "reset_sequences", "databases", "serialized_rollback",
                  "available_apps")


def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(zip(DJANGO_DB_ARGS, marker.args, strict=False)) if marker else {}
        if marker:
            kwargs.update(marker.kwargs)
        fixtures = getattr(item, "fixturenames", ())
        transactional = (kwargs.get("transaction") or kwargs.get("reset_sequences")
                         or "transactional_db" in fixtures or "live_server" in fixtures)
        if not transactional or kwargs.get("serialized_rollback"):
            continue
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)

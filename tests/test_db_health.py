"""The start-of-request health check of persistent PostgreSQL connections
(portal/ops/postgresql): a sound idle connection is taken as usable without asking the
server, and one the server has closed is found unusable, so Django opens a new one
instead of failing the request."""

import time
from unittest import mock

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="PostgreSQL's connections; set DATABASE_URL to run")


@pytest.fixture
def other(db):
    """A second connection to the test database, outside the test's transaction."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_the_portal_uses_the_checked_backend():
    assert type(connections["default"]).__module__ == "portal.ops.postgresql.base"


def test_a_sound_idle_connection_is_usable_without_a_query(other):
    with mock.patch.object(other.connection, "cursor",
                           side_effect=AssertionError("no query expected")):
        assert other.is_usable()


def test_a_connection_the_server_closed_is_not_usable(other):
    pid = other.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while other.is_usable() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not other.is_usable()
    # What Django does at the start of a request: the broken connection is replaced.
    other.health_check_enabled, other.health_check_done = True, False
    other.close_if_health_check_failed()
    with other.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_connection_in_a_transaction_gets_the_servers_answer(other):
    other.connection.execute("BEGIN")
    try:
        with mock.patch.object(type(other).__mro__[1], "is_usable",
                               return_value=True) as asked:
            assert other.is_usable()
        asked.assert_called_once()
    finally:
        other.connection.execute("ROLLBACK")

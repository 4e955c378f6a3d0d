"""The access log is append-only: the model, the queryset and (on PostgreSQL) the database
refuse to change or remove an entry."""

import pytest
from django.db import DatabaseError, connection, transaction

from portal.audit.models import AccessLogEntry, AppendOnlyError
from portal.audit.services import access_log_record


@pytest.fixture
def entry(world):
    return access_log_record(actor=world.users["caseworker"], supervisee=world.supervisee,
                             action="view", what="Opened record", path="/people/1/")


def test_entry_records_who_whom_when_what(entry, world):
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert stored.actor == world.users["caseworker"]
    assert stored.supervisee == world.supervisee
    assert stored.what == "Opened record" and stored.at is not None


def test_long_text_is_cut_not_refused(world):
    entry = access_log_record(actor=world.users["caseworker"], action="list", what="读" * 500,
                              path="/x" * 400)
    assert len(entry.what) == 200 and len(entry.path) == 300


def test_model_refuses_to_change_an_entry(entry):
    entry.what = "nothing happened"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AccessLogEntry.objects.get(pk=entry.pk).what == "Opened record"


def test_model_refuses_to_delete_an_entry(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_refuses_update_and_delete(entry):
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(what="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).what == "Opened record"


def test_the_person_read_cannot_be_removed_by_deleting_the_record(entry, world):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError) as refused:
        world.supervisee.delete()
    assert entry in set(refused.value.protected_objects)
    with pytest.raises(ProtectedError) as refused:
        world.users["caseworker"].delete()
    assert entry in set(refused.value.protected_objects)
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_database_refuses_raw_update_and_delete(entry):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists only on PostgreSQL "
                    "(portal/audit/migrations/0002); SQLite relies on the application")
    table = AccessLogEntry._meta.db_table
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(f"UPDATE {table} SET what = %s WHERE id = %s", ["x", entry.pk])
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])
        # Deferred foreign-key checks of the test's own inserts must run before TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(f"TRUNCATE {table}")
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert stored.what == "Opened record"

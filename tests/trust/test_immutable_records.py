"""Append-only records (the access log, both hours ledgers, hours confirmations, class
attendance, the retention log) cannot be changed or removed even by someone who bypasses
the application and writes raw SQL: on PostgreSQL a trigger refuses UPDATE, DELETE and
TRUNCATE on every such table."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from portal.appendonly import AppendOnlyModel, append_only_tables
from tests.courses import factories as cf
from tests.volunteering.pg import requires_postgres

pytestmark = [pytest.mark.postgres, requires_postgres]

# pg_trigger.tgtype bits
ROW, DELETE, UPDATE, TRUNCATE = 1, 8, 16, 32


# Tables whose TRUNCATE is refused too (a statement trigger).
GUARDED_AGAINST_TRUNCATE = {
    "audit.AccessLogEntry", "volunteering.HoursEntry", "volunteering.HoursConfirmation",
    "courses.StudyHoursEntry", "courses.Attendance", "ops.RetentionLogEntry",
    "casework.HelpPlanRevision",
}


def append_only_models():
    return sorted((m for m in apps.get_models() if issubclass(m, AppendOnlyModel)),
                  key=lambda m: m._meta.label)


def test_the_known_append_only_tables_are_all_found():
    labels = {m._meta.label for m in append_only_models()}
    assert GUARDED_AGAINST_TRUNCATE <= labels


@pytest.mark.django_db
def test_the_tables_that_refuse_changes_are_the_append_only_ones():
    """portal.appendonly's list against the database: no table refuses changes that the
    code does not know to be append-only (the next test checks each known one)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal "
            "AND p.prosrc LIKE %s ORDER BY c.relname", ["%RAISE EXCEPTION%append-only%"])
        refusing = [row[0] for row in cursor.fetchall()]
    assert refusing == append_only_tables()


@pytest.mark.django_db
@pytest.mark.parametrize("model", append_only_models(), ids=lambda m: m._meta.label)
def test_every_append_only_table_has_refusing_triggers(model):
    """Catches a new append-only model whose migration forgot the trigger."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgtype, p.prosrc FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' "
            "AND c.relname = %s", [model._meta.db_table])
        triggers = cursor.fetchall()
    refusing = [tgtype for tgtype, source in triggers if "RAISE EXCEPTION" in source]
    assert any(t & ROW and t & UPDATE for t in refusing), f"{model._meta.db_table}: no UPDATE"
    assert any(t & ROW and t & DELETE for t in refusing), f"{model._meta.db_table}: no DELETE"
    if model._meta.label in GUARDED_AGAINST_TRUNCATE:
        assert any(t & TRUNCATE for t in refusing), f"{model._meta.db_table}: no TRUNCATE"


def _rows(world):
    """One stored row in each append-only table, made the way the portal makes them."""
    from courses.models import Attendance, StudyHoursEntry
    from portal.audit.services import access_log_record
    from portal.ops.models import RetentionLogEntry
    from tests.volunteering.conftest import make_svc
    from volunteering import services
    from volunteering.models import HoursConfirmation, HoursEntry, Signup

    svc = make_svc(world)
    caseworker = world.users["caseworker"]
    person = world.supervisee
    starts = timezone.now() - datetime.timedelta(days=3)
    activity = svc.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(days=1))
    signup = Signup.objects.create(activity=activity, supervisee=person, status="confirmed",
                                   confirmed_at=starts)
    services.attendance_record(actor=world.users["ngo"], signup=signup, checked_in_at=starts,
                               checked_out_at=starts + datetime.timedelta(hours=2))
    entry = HoursEntry.objects.get(signup=signup)
    services.hours_confirm(actor=caseworker, entry_ids=[entry.pk])
    session = cf.session_create(cf.course_create(unit=world.bureau),
                                starts_in=-datetime.timedelta(days=2))
    return {
        "audit.AccessLogEntry": access_log_record(
            actor=caseworker, supervisee=person, action="view", what="Opened record",
            path="/people/1/"),
        "volunteering.HoursEntry": entry,
        "volunteering.HoursConfirmation": HoursConfirmation.objects.get(entry=entry),
        "courses.StudyHoursEntry": StudyHoursEntry.objects.create(
            supervisee=person, kind="attendance", hours=Decimal("2"),
            credited_on=timezone.localdate()),
        "courses.Attendance": Attendance.objects.create(
            session=session, supervisee=person, method="manual", recorded_by=caseworker),
        "ops.RetentionLogEntry": RetentionLogEntry.objects.create(
            supervisee=person, action="anonymised", what="legal name", rule="test"),
    }


@pytest.mark.django_db
def test_raw_sql_cannot_update_or_delete_any_append_only_row(world):
    rows = _rows(world)
    for label, row in rows.items():
        table = type(row)._meta.db_table
        before = _snapshot(table, row.pk)
        for sql in (f"UPDATE {table} SET id = id WHERE id = %s",
                    f"DELETE FROM {table} WHERE id = %s"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts first
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} CASCADE")
        assert _snapshot(table, row.pk) == before, label
    # Tables added later are held to the same triggers by the catalogue test above.


def _snapshot(table, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        return cursor.fetchall()

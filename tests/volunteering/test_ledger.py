"""The hours ledger is append-only (in code, and in the database on PostgreSQL); totals are
always the sum of its entries; caseworkers confirm hours before they count toward targets."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from portal.audit.models import AppendOnlyError
from portal.people.models import LevelTarget
from volunteering import selectors, services
from volunteering.models import HoursConfirmation, HoursEntry, ServiceKind, Signup

from .pg import requires_postgres


def attended(svc, person=None, *, hours="2", days_ago=3, **kwargs):
    """A past activity the person attended, with `hours` in the ledger."""
    now = timezone.now()
    starts = now - datetime.timedelta(days=days_ago)
    activity = svc.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(days=1),
                            **kwargs)
    person = person or svc.person()
    signup = Signup.objects.create(activity=activity, supervisee=person, status="confirmed",
                                   confirmed_at=starts)
    organiser = kwargs.get("created_by") or svc.world.users["ngo"]
    services.attendance_record(actor=organiser, signup=signup, checked_in_at=starts,
                               checked_out_at=starts + datetime.timedelta(hours=float(hours)))
    return activity, person, signup


def test_entries_cannot_be_changed_or_deleted_in_code(svc):
    _a, _p, signup = attended(svc)
    entry = HoursEntry.objects.get(signup=signup)
    entry.hours = Decimal("20")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        HoursEntry.objects.filter(pk=entry.pk).update(hours=Decimal("20"))
    with pytest.raises(AppendOnlyError):
        HoursEntry.objects.all().delete()
    assert HoursEntry.objects.get(pk=entry.pk).hours == Decimal("2")


def test_confirmations_are_append_only_too(svc):
    _a, _p, signup = attended(svc)
    entry = HoursEntry.objects.get(signup=signup)
    services.hours_confirm(actor=svc.world.users["caseworker"], entry_ids=[entry.pk])
    with pytest.raises(AppendOnlyError):
        HoursConfirmation.objects.all().delete()


@pytest.mark.postgres
@requires_postgres
def test_database_refuses_update_and_delete_of_ledger_rows(svc):
    _a, _p, signup = attended(svc)
    entry = HoursEntry.objects.get(signup=signup)
    for sql in (
        "UPDATE volunteering_hoursentry SET hours = 20 WHERE id = %s",
        "DELETE FROM volunteering_hoursentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
        cursor.execute("TRUNCATE volunteering_hoursentry CASCADE")
    assert HoursEntry.objects.get(pk=entry.pk).hours == Decimal("2")


@pytest.mark.postgres
@requires_postgres
def test_database_refuses_rewriting_a_confirmation(svc):
    _a, _p, signup = attended(svc)
    entry = HoursEntry.objects.get(signup=signup)
    services.hours_confirm(actor=svc.world.users["caseworker"], entry_ids=[entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM volunteering_hoursconfirmation")
    assert HoursConfirmation.objects.count() == 1


def test_database_constraints_refuse_absurd_rows(svc):
    from django.db import IntegrityError

    _a, person, signup = attended(svc)
    entry = HoursEntry.objects.get(signup=signup)
    base = dict(supervisee=person, kind=ServiceKind.VOLUNTEER_SERVICE,
                service_date=entry.service_date, organisation=svc.world.ngo,
                recorded_by=svc.world.users["ngo"], reason="x")
    for bad in ({"hours": Decimal("99")}, {"hours": Decimal("0")},
                {"hours": Decimal("2"), "reverses": entry}):
        with pytest.raises(IntegrityError), transaction.atomic():
            HoursEntry.objects.create(**base, **bad)
    assert HoursEntry.objects.count() == 1


def test_monthly_totals_equal_the_sum_of_entries_with_corrections(svc):
    person = svc.person()
    ngo = svc.world.users["ngo"]
    attended(svc, person, hours="2", days_ago=40)
    _a, _p, signup = attended(svc, person, hours="3", days_ago=3, title="敬老院探访")
    services.hours_adjust(actor=ngo, signup=signup, hours="1.5", reason="早退")
    services.hours_adjust(actor=ngo, signup=signup, hours="2", reason="核对签到表")
    entries = list(HoursEntry.objects.filter(supervisee=person))
    assert len(entries) == 6  # 2 originals, 2 reversals, 2 corrected figures
    rows = selectors.hours_by_month(person)
    assert sum(r["total"] for r in rows) == sum(e.hours for e in entries) == Decimal("4")
    for row in rows:
        in_month = [e.hours for e in entries if e.service_date.replace(day=1) == row["month"]
                    and e.kind == row["kind"]]
        assert row["total"] == sum(in_month)
    totals = selectors.hours_totals(person)
    assert totals["volunteer_service"] == Decimal("4")


def test_only_confirmed_public_welfare_hours_count_toward_the_target(svc):
    person = svc.world.supervisee
    caseworker = svc.world.users["caseworker"]
    attended(svc, person, hours="2", days_ago=0.2, kind=ServiceKind.PUBLIC_WELFARE,
             organisation=None, unit=svc.world.squad1, created_by=caseworker)
    attended(svc, person, hours="3", days_ago=0.5, title="志愿活动")  # volunteer service
    # "This month" is the month of the public-welfare activity (robust at midnight).
    today = HoursEntry.objects.get(kind=ServiceKind.PUBLIC_WELFARE).service_date
    assert selectors.hours_totals(person, today=today)["month_counted"] == 0
    ids = list(selectors.hours_to_confirm(caseworker).values_list("pk", flat=True))
    assert services.hours_confirm(actor=caseworker, entry_ids=ids) == 2
    totals = selectors.hours_totals(person, today=today)
    assert totals["month_counted"] == Decimal("2")  # volunteer service is not a target
    assert LevelTarget.objects.get(level=person.level).service_hours > 0


def test_caseworker_cannot_confirm_hours_of_people_outside_their_units(svc):
    _a, _p, signup = attended(svc, svc.world.other_supervisee)
    entry = HoursEntry.objects.get(signup=signup)
    assert services.hours_confirm(actor=svc.world.users["caseworker"],
                                  entry_ids=[entry.pk, "x"]) == 0
    assert not HoursConfirmation.objects.exists()
    assert services.hours_confirm(actor=svc.world.users["other_caseworker"],
                                  entry_ids=[entry.pk]) == 1
    # Twice is harmless: already confirmed entries are skipped.
    assert services.hours_confirm(actor=svc.world.users["other_caseworker"],
                                  entry_ids=[entry.pk]) == 0

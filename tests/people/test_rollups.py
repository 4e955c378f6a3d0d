"""What the database keeps beside the hours ledgers (portal/rollups.py): each person's
monthly hours and the list of entries waiting for confirmation, kept as entries and
confirmations are added, equal to what the ledgers give at every commit, checked and
rebuilt by `manage.py rollups`."""

import datetime
import random
import threading
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from courses.models import StudyHoursEntry
from portal import rollups
from portal.people.models import MonthHours
from tests import factories as f
from volunteering.models import HoursConfirmation, HoursEntry, ServiceKind, UnconfirmedHours

ZERO = Decimal("0")
HOURS = ("study", "public_welfare", "public_welfare_confirmed", "volunteer",
         "volunteer_confirmed")


def _first(day):
    return day.replace(day=1)


def _expected():
    """{(person id, month): {column: hours}} summed in Python from the ledgers' rows."""
    sums = defaultdict(lambda: dict.fromkeys(HOURS, ZERO))
    for e in StudyHoursEntry.objects.all():
        sums[(e.supervisee_id, _first(e.credited_on))]["study"] += e.hours
    confirmed = set(HoursConfirmation.objects.values_list("entry_id", flat=True))
    for e in HoursEntry.objects.all():
        column = ("public_welfare" if e.kind == ServiceKind.PUBLIC_WELFARE else "volunteer")
        row = sums[(e.supervisee_id, _first(e.service_date))]
        row[column] += e.hours
        if e.pk in confirmed:
            row[column + "_confirmed"] += e.hours
    return dict(sums)


def _kept():
    return {(m.supervisee_id, m.month): {c: getattr(m, c) for c in HOURS}
            for m in MonthHours.objects.all()}


def _recorder():
    from portal.accounts.models import User

    return User.objects.filter(is_superuser=False).order_by("pk").first()


def _service(person, hours, day, kind=ServiceKind.PUBLIC_WELFARE, reverses=None):
    return HoursEntry.objects.create(supervisee=person, kind=kind, hours=Decimal(hours),
                                     service_date=day, reason="测试", reverses=reverses,
                                     recorded_by=_recorder(), unit=person.unit)


def _study(person, hours, day, kind=StudyHoursEntry.Kind.ATTENDANCE, corrects=None):
    return StudyHoursEntry.objects.create(supervisee=person, kind=kind, hours=Decimal(hours),
                                          credited_on=day, corrects=corrects)


@pytest.mark.django_db
def test_each_entry_and_confirmation_lands_in_its_month(world):
    person = world.supervisee
    march, april = datetime.date(2026, 3, 14), datetime.date(2026, 4, 2)
    _study(person, "2.5", march)
    _study(person, "1.5", datetime.date(2026, 3, 31))
    entry = _service(person, "3", march)
    _service(person, "4", april, kind=ServiceKind.VOLUNTEER_SERVICE)
    HoursConfirmation.objects.create(entry=entry, confirmed_by=world.users["caseworker"])
    kept = _kept()
    assert kept[(person.pk, datetime.date(2026, 3, 1))] == {
        "study": Decimal("4.00"), "public_welfare": Decimal("3.00"),
        "public_welfare_confirmed": Decimal("3.00"), "volunteer": ZERO,
        "volunteer_confirmed": ZERO}
    assert kept[(person.pk, datetime.date(2026, 4, 1))] == {
        "study": ZERO, "public_welfare": ZERO, "public_welfare_confirmed": ZERO,
        "volunteer": Decimal("4.00"), "volunteer_confirmed": ZERO}


@pytest.mark.django_db
def test_corrections_bulk_inserts_and_many_people_equal_the_ledger_sums(world):
    rng = random.Random(8)
    people = [world.supervisee] + [f.SuperviseeFactory(unit=world.squad1) for _ in range(5)]
    days = [datetime.date(2026, m, d) for m in (1, 2, 3) for d in (1, 15, 28)]
    entries = []
    for _ in range(60):
        person, day = rng.choice(people), rng.choice(days)
        if rng.random() < 0.5:
            entries.append(_service(person, f"{rng.randint(1, 16) / 2}", day,
                                    kind=rng.choice(list(ServiceKind))))
        else:
            _study(person, f"{rng.randint(1, 8) / 2}", day)
    # Corrections are new entries, often negative, in the month of what they correct.
    for entry in rng.sample(entries, 8):
        _service(entry.supervisee, f"{-entry.hours}", entry.service_date, kind=entry.kind,
                 reverses=entry)
    # A bulk insert (one statement of many rows) is counted like single ones.
    StudyHoursEntry.objects.bulk_create([
        StudyHoursEntry(supervisee=rng.choice(people), kind=StudyHoursEntry.Kind.COMPLETION,
                        hours=Decimal("1.5"), credited_on=rng.choice(days))
        for _ in range(40)])
    HoursConfirmation.objects.bulk_create([
        HoursConfirmation(entry=e, confirmed_by=world.users["caseworker"])
        for e in rng.sample(entries, 25)])
    assert _kept() == _expected()
    assert rollups.differences(rollups.MONTH_HOURS) == []
    assert rollups.differences(rollups.UNCONFIRMED) == []
    assert _waiting() == set(HoursEntry.objects.filter(confirmation__isnull=True)
                             .values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_check_names_a_row_that_differs_and_the_rebuild_repairs_it(world, capsys):
    person = world.supervisee
    _study(person, "2", datetime.date(2026, 5, 3))
    call_command("rollups", "--check")
    assert "people_monthhours agrees with the ledgers" in capsys.readouterr().out
    # Something writing the table behind the triggers' back (it has no other writer).
    MonthHours.objects.filter(supervisee=person).update(study=Decimal("7"))
    with pytest.raises(CommandError, match="1 row"):
        call_command("rollups", "--check")
    assert "study 7.00 ≠ 2.00" in capsys.readouterr().err
    call_command("rollups", "--rebuild")
    call_command("rollups", "--check")
    assert MonthHours.objects.get(supervisee=person).study == Decimal("2")
    # A month missing from the table altogether is found too.
    MonthHours.objects.all().delete()
    assert [(r["supervisee_id"], str(r["month"])[:10]) for r in rollups.differences(rollups.MONTH_HOURS)] == [
        (person.pk, "2026-05-01")]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL (SQLite takes one at a time)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_to_one_month_lose_nothing():
    from tests.world import build_world

    world = build_world()
    person = world.supervisee
    day = datetime.date(2026, 6, 10)
    barrier = threading.Barrier(8)
    errors = []

    def write(i):
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                _study(person, "0.5", day)
                entry = _service(person, "1", day)
                HoursConfirmation.objects.create(entry=entry, confirmed_by=_recorder())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    row = MonthHours.objects.get(supervisee=person, month=datetime.date(2026, 6, 1))
    assert (row.study, row.public_welfare, row.public_welfare_confirmed) == (
        Decimal("20"), Decimal("40"), Decimal("40"))
    assert rollups.differences(rollups.MONTH_HOURS) == []
    assert _waiting() == set()


def _waiting():
    return set(UnconfirmedHours.objects.values_list("entry_id", flat=True))


def _copies_are_their_entries():
    fields = ("supervisee_id", "recorded_at", "hours", "kind", "service_date",
              "organisation_id", "unit_id")
    waiting = {w.entry_id: tuple(getattr(w, f) for f in fields)
               for w in UnconfirmedHours.objects.all()}
    entries = {e.pk: tuple(getattr(e, f) for f in fields)
               for e in HoursEntry.objects.filter(pk__in=waiting)}
    assert waiting == entries and len(waiting) >= 3
    assert any(row[5] is None and row[6] for row in waiting.values())  # a unit's entry
    assert any(row[5] and row[6] is None for row in waiting.values())  # a partner's


@pytest.mark.django_db
def test_an_entry_waits_for_confirmation_until_it_is_confirmed(world):
    person = world.supervisee
    day = datetime.date(2026, 3, 14)
    first, second = _service(person, "3", day), _service(person, "2", day)
    reversal = _service(person, "-3", day, reverses=first)
    assert _waiting() == {first.pk, second.pk, reversal.pk}
    row = UnconfirmedHours.objects.get(entry=second)
    assert (row.supervisee_id, row.recorded_at) == (person.pk, second.recorded_at)
    # The entry's figures come with it (one by one and in bulk), and after a rebuild.
    bulk = HoursEntry.objects.bulk_create([HoursEntry(
        supervisee=person, kind=ServiceKind.VOLUNTEER_SERVICE, hours=Decimal("1.25"),
        service_date=day + datetime.timedelta(days=n), reason="测试", recorded_by=_recorder(),
        unit=None if n else person.unit, organisation=world.ngo if n else None)
        for n in range(2)])
    _copies_are_their_entries()
    call_command("rollups", "--rebuild")
    _copies_are_their_entries()
    HoursConfirmation.objects.bulk_create([
        HoursConfirmation(entry=e, confirmed_by=_recorder()) for e in bulk])
    HoursConfirmation.objects.create(entry=first, confirmed_by=_recorder())
    HoursConfirmation.objects.bulk_create([
        HoursConfirmation(entry=e, confirmed_by=_recorder()) for e in (second, reversal)])
    assert _waiting() == set()
    assert rollups.differences(rollups.UNCONFIRMED) == []


@pytest.mark.django_db
def test_the_check_finds_a_missing_or_stray_waiting_entry(world, capsys):
    person = world.supervisee
    waiting = _service(person, "3", datetime.date(2026, 3, 14))
    confirmed = _service(person, "2", datetime.date(2026, 3, 15))
    HoursConfirmation.objects.create(entry=confirmed, confirmed_by=_recorder())
    UnconfirmedHours.objects.filter(entry=waiting).delete()
    UnconfirmedHours.objects.create(entry=confirmed, supervisee=person,
                                    recorded_at=confirmed.recorded_at,
                                    person_unit=person.unit,
                                    person_caseworker=person.caseworker,
                                    person_is_juvenile=person.is_juvenile,
                                    person_is_sealed=person.is_sealed)
    found = {r["entry_id"]: (r["in_k"], r["in_l"])
             for r in rollups.differences(rollups.UNCONFIRMED)}
    assert found == {waiting.pk: (0, 1), confirmed.pk: (1, 0)}
    with pytest.raises(CommandError, match="2 row"):
        call_command("rollups", "--check")
    err = capsys.readouterr().err
    assert f"volunteering_unconfirmedhours {waiting.pk}: missing" in err
    assert f"volunteering_unconfirmedhours {confirmed.pk}: not in the ledgers" in err
    call_command("rollups", "--rebuild")
    assert _waiting() == {waiting.pk}

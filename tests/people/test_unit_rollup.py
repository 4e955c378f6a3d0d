"""The units' monthly hours (portal/rollups.py, people_unitmonthhours): the people's months
summed by unit, caseworker, juvenile flag and sealed flag, kept by triggers as hours are
written and as people move unit, change caseworker or flags, equal at every commit to
what people_monthhours and the people's rows give; checked and rebuilt by `manage.py
rollups`."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from courses.models import StudyHoursEntry
from portal import rollups
from portal.people.models import MonthHours, Supervisee, UnitMonthHours
from tests import factories as f
from tests.concurrently import run_at_once
from volunteering.models import HoursConfirmation, HoursEntry, ServiceKind

ZERO = Decimal("0")


def _expected():
    """{key: (study, public welfare, volunteer)} summed in Python from the people's months
    and their rows as they are now."""
    people = {p.pk: p for p in Supervisee.objects.all()}
    sums = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for m in MonthHours.objects.all():
        p = people[m.supervisee_id]
        row = sums[(p.unit_id, p.caseworker_id or 0, p.is_juvenile, p.is_sealed, m.month)]
        row[0] += m.study
        row[1] += m.public_welfare
        row[2] += m.volunteer
    return {key: tuple(v) for key, v in sums.items() if any(v)}


def _kept():
    return {(r.unit_id, r.caseworker_id, r.is_juvenile, r.is_sealed, r.month):
            (r.study, r.public_welfare, r.volunteer)
            for r in UnitMonthHours.objects.all() if r.study or r.public_welfare or r.volunteer}


def _agree():
    expected = _expected()
    assert _kept() == expected
    assert rollups.differences(rollups.UNIT_HOURS) == []
    return expected


def _write(person, day, recorder, hours="2"):
    StudyHoursEntry.objects.create(supervisee=person, kind=StudyHoursEntry.Kind.ATTENDANCE,
                                   hours=Decimal(hours), credited_on=day)
    entry = HoursEntry.objects.create(supervisee=person, kind=ServiceKind.PUBLIC_WELFARE,
                                      hours=Decimal("3.5"), service_date=day, reason="测试",
                                      recorded_by=recorder, unit=person.unit)
    HoursConfirmation.objects.create(entry=entry, confirmed_by=recorder)
    HoursEntry.objects.create(supervisee=person, kind=ServiceKind.VOLUNTEER_SERVICE,
                              hours=Decimal("1.25"), service_date=day, reason="测试",
                              recorded_by=recorder, unit=person.unit)


@pytest.mark.django_db
def test_hours_land_on_their_peoples_key_and_move_with_them(world):
    cw, other = world.users["caseworker"], world.users["other_caseworker"]
    team = f.unit_create("第一中队一组", kind="squad", parent=world.squad1)
    people = [world.supervisee, world.other_supervisee, world.juvenile,
              f.SuperviseeFactory(unit=team, caseworker=cw),
              f.SuperviseeFactory(unit=world.bureau, caseworker=None),
              f.SuperviseeFactory(unit=world.squad1, caseworker=cw, is_sealed=True)]
    march, april = datetime.date(2026, 3, 14), datetime.date(2026, 4, 2)
    for i, person in enumerate(people):
        _write(person, march, cw, hours=str(i + 1))
        _write(person, april, cw)
    # A correction: a negative entry in a month already there.
    StudyHoursEntry.objects.create(supervisee=people[0], kind=StudyHoursEntry.Kind.ATTENDANCE,
                                   hours=Decimal("-1"), credited_on=march)
    before = _agree()
    assert len(before) >= 10

    # Moves one at a time (a save) and several at once (one UPDATE statement), a new
    # caseworker, none, a juvenile turning adult, a file sealed; each moves every month.
    person = people[0]
    person.unit = team
    person.save()
    _agree()
    Supervisee.objects.filter(pk__in=[people[1].pk, people[3].pk]).update(unit=world.squad2,
                                                                          caseworker=other)
    _agree()
    Supervisee.objects.filter(pk=people[2].pk).update(is_juvenile=False)
    Supervisee.objects.filter(pk=people[4].pk).update(caseworker=cw)
    Supervisee.objects.filter(pk=people[5].pk).update(caseworker=None, is_sealed=False)
    Supervisee.objects.filter(pk=people[0].pk).update(is_sealed=True, unit=world.bureau)
    moved = _agree()
    assert moved != before
    # A change of status (or anything not in the key) moves nothing.
    Supervisee.objects.update(status=Supervisee.Status.RELEASED, legal_name="改名")
    assert _agree() == moved
    # The months' rows go (a rebuild of people_monthhours deletes them first): so do
    # their hours here; the rebuild puts them back.
    MonthHours.objects.filter(supervisee=people[3]).delete()
    _agree()
    call_command("rollups", "--rebuild")
    assert _agree() == moved


@pytest.mark.django_db
def test_the_check_names_a_unit_row_that_differs_and_the_rebuild_repairs_it(world, capsys):
    cw = world.users["caseworker"]
    _write(world.supervisee, datetime.date(2026, 5, 3), cw)
    call_command("rollups", "--check")
    assert "people_unitmonthhours agrees with the ledgers" in capsys.readouterr().out
    UnitMonthHours.objects.update(study=Decimal("9"))
    with pytest.raises(CommandError, match="1 row"):
        call_command("rollups", "--check")
    assert "study 9.00 ≠ 2.00" in capsys.readouterr().err
    call_command("rollups", "--rebuild")
    call_command("rollups", "--check")
    # A row missing altogether is found too; a row of zeros is no row.
    UnitMonthHours.objects.all().delete()
    assert len(rollups.differences(rollups.UNIT_HOURS)) == 1
    call_command("rollups", "--rebuild")
    UnitMonthHours.objects.create(unit=world.squad2, caseworker_id=0, is_juvenile=False,
                                  is_sealed=False, month=datetime.date(2026, 5, 1))
    assert rollups.differences(rollups.UNIT_HOURS) == []


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL (SQLite takes one at a time)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_moves_lose_nothing():
    from tests.world import build_world

    world = build_world()
    cw = world.users["caseworker"]
    people = [f.SuperviseeFactory(unit=world.squad1, caseworker=cw) for _ in range(6)]
    day = datetime.date(2026, 6, 10)
    def write(person):
        for _ in range(4):
            _write(person, day, cw, hours="0.5")

    def move():
        for unit in (world.squad2, world.bureau, world.squad1, world.squad2):
            Supervisee.objects.filter(pk__in=[p.pk for p in people[:3]]).update(unit=unit)

    errors = run_at_once(*[lambda p=p: write(p) for p in people], move)
    assert errors == []
    kept = _agree()
    assert kept[(world.squad2.pk, cw.pk, False, False, datetime.date(2026, 6, 1))] == (
        Decimal("6"), Decimal("42"), Decimal("15"))

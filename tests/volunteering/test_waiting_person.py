"""The waiting hours' copies of their person's unit, caseworker and flags (volunteering
0008, portal/rollups.py): made with each entry, kept as the person changes, by a save or
by one UPDATE of many, equal at every commit to the people's rows; checked and rebuilt
by `manage.py rollups`."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from portal import rollups
from portal.people.models import Supervisee
from tests import factories as f
from tests.concurrently import run_at_once
from volunteering.models import HoursConfirmation, HoursEntry, ServiceKind, UnconfirmedHours


def _record(person, recorder, hours="2"):
    return HoursEntry.objects.create(supervisee=person, kind=ServiceKind.PUBLIC_WELFARE,
                                     hours=Decimal(hours), service_date=datetime.date(2026, 11, 2),
                                     reason="测试", recorded_by=recorder, unit=person.unit)


def _copies():
    return {w.entry_id: (w.person_unit_id, w.person_caseworker_id, w.person_is_juvenile,
                         w.person_is_sealed) for w in UnconfirmedHours.objects.all()}


def _expected():
    people = {p.pk: p for p in Supervisee.objects.all()}
    return {w.entry_id: (people[w.supervisee_id].unit_id, people[w.supervisee_id].caseworker_id,
                         people[w.supervisee_id].is_juvenile, people[w.supervisee_id].is_sealed)
            for w in UnconfirmedHours.objects.all()}


def _agree():
    copies = _copies()
    assert copies == _expected()
    assert rollups.stale_person_copies() == []
    return copies


@pytest.mark.django_db
def test_copies_are_made_with_each_entry_and_follow_the_person(world):
    cw, other = world.users["caseworker"], world.users["other_caseworker"]
    people = [world.supervisee, world.other_supervisee, world.juvenile,
              f.SuperviseeFactory(unit=world.bureau, caseworker=None),
              f.SuperviseeFactory(unit=world.squad1, caseworker=cw, is_sealed=True)]
    entries = [_record(p, cw) for p in people for _ in range(2)]
    HoursEntry.objects.bulk_create([  # many rows in one statement
        HoursEntry(supervisee=p, kind=ServiceKind.VOLUNTEER_SERVICE, hours=Decimal("1"),
                   service_date=datetime.date(2026, 11, 3), reason="批量", recorded_by=cw,
                   unit=p.unit) for p in people])
    before = _agree()
    assert len(before) == 15
    assert before[entries[6].pk] == (world.bureau.pk, None, False, False)
    assert before[entries[8].pk][3] is True

    person = people[0]
    person.unit, person.caseworker = world.squad2, other
    person.save()
    _agree()
    Supervisee.objects.filter(pk__in=[people[1].pk, people[2].pk]).update(
        unit=world.bureau, is_juvenile=True)
    Supervisee.objects.filter(pk=people[3].pk).update(caseworker=cw)
    Supervisee.objects.filter(pk=people[4].pk).update(is_sealed=False, caseworker=None)
    moved = _agree()
    assert moved[entries[0].pk] == (world.squad2.pk, other.pk, False, False)
    assert moved != before
    Supervisee.objects.update(legal_name="改名", status=Supervisee.Status.RELEASED)
    assert _agree() == moved
    # Confirmed entries stop waiting; the others keep their copies.
    HoursConfirmation.objects.create(entry=entries[0], confirmed_by=cw)
    assert entries[0].pk not in _agree()


@pytest.mark.django_db
def test_the_check_names_a_stale_copy_and_the_rebuild_repairs_it(world, capsys):
    entry = _record(world.supervisee, world.users["caseworker"])
    call_command("rollups", "--check")
    assert "copies agree with the people" in capsys.readouterr().out
    UnconfirmedHours.objects.filter(entry=entry).update(person_unit=world.squad2)
    with pytest.raises(CommandError, match="1 row"):
        call_command("rollups", "--check")
    assert f"volunteering_unconfirmedhours {entry.pk}: not person" in capsys.readouterr().err
    call_command("rollups", "--rebuild")
    call_command("rollups", "--check")
    assert UnconfirmedHours.objects.get(entry=entry).person_unit_id == world.squad1.pk


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL (SQLite takes one at a time)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_entries_and_moves_leave_no_stale_copy():
    from tests.world import build_world

    world = build_world()
    cw = world.users["caseworker"]
    people = [f.SuperviseeFactory(unit=world.squad1, caseworker=cw) for _ in range(6)]

    def record(person):
        for _ in range(5):
            _record(person, cw, hours="0.5")

    def move():
        for unit in (world.squad2, world.bureau, world.squad1, world.squad2):
            Supervisee.objects.filter(pk__in=[p.pk for p in people[:3]]).update(unit=unit)

    errors = run_at_once(*[lambda p=p: record(p) for p in people], move)
    assert errors == []
    copies = _agree()
    assert sum(1 for c in copies.values() if c[0] == world.squad2.pk) == 15

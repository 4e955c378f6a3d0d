"""The units' head counts (portal/rollups.py, people_unitpeople): the people and their
referrals still running, counted by unit, caseworker, juvenile flag, sealed flag and
status, kept by triggers as people are added, moved, change status or go, and as
referrals are made, closed, reopened, moved or deleted; equal at every commit to what
the people's rows and the referrals give; checked and rebuilt by `manage.py rollups`."""

from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from helpnet.models import FINAL_REFERRAL_STATUSES, Referral
from portal import rollups
from portal.people.models import Supervisee, UnitPeople
from tests import factories as f
from tests.concurrently import run_at_once


def _expected():
    """{key: (people, referrals still running)} counted in Python from the rows as now."""
    counts = defaultdict(lambda: [0, 0])
    people = {p.pk: p for p in Supervisee.objects.all()}

    def key(p):
        return (p.unit_id, p.caseworker_id or 0, p.is_juvenile, p.is_sealed, p.status)

    for p in people.values():
        counts[key(p)][0] += 1
    for r in Referral.objects.all():
        if r.status not in FINAL_REFERRAL_STATUSES:
            counts[key(people[r.supervisee_id])][1] += 1
    return {k: tuple(v) for k, v in counts.items() if any(v)}


def _kept():
    return {(r.unit_id, r.caseworker_id, r.is_juvenile, r.is_sealed, r.status):
            (r.people, r.open_referrals)
            for r in UnitPeople.objects.all() if r.people or r.open_referrals}


def _agree():
    expected = _expected()
    assert _kept() == expected
    assert rollups.differences(rollups.UNIT_PEOPLE) == []
    return expected


def _refer(person, service, by, status=Referral.Status.PENDING):
    return Referral.objects.create(supervisee=person, service=service, status=status,
                                   reason="测试", created_by=by)


def test_the_final_statuses_are_the_helpnets():
    assert set(rollups.FINAL_REFERRAL) == {s.value for s in FINAL_REFERRAL_STATUSES}


@pytest.mark.django_db
def test_people_and_referrals_land_on_their_key_and_move_with_them(world):
    cw, other = world.users["caseworker"], world.users["other_caseworker"]
    service = f.help_service_create(world.ngo)
    team = f.unit_create("第一中队一组", kind="squad", parent=world.squad1)
    start = _agree()
    assert sum(n for n, _o in start.values()) == Supervisee.objects.count() > 0
    people = [world.supervisee, world.other_supervisee, world.juvenile,
              f.SuperviseeFactory(unit=team, caseworker=cw),
              f.SuperviseeFactory(unit=world.bureau, caseworker=None),
              f.SuperviseeFactory(unit=world.squad1, caseworker=cw, is_sealed=True)]
    _agree()
    referrals = []
    for i, person in enumerate(people):
        referrals.append(_refer(person, service, cw))
        if i % 2:
            _refer(person, service, cw, status=Referral.Status.IN_PROGRESS)
        _refer(person, service, cw, status=Referral.Status.CLOSED)
    before = _agree()
    assert sum(o for _n, o in before.values()) == 9

    # People moving one at a time (a save) and several at once (one UPDATE), a new
    # caseworker, none, a juvenile turning adult, a file sealed, a term ended: each takes
    # their running referrals along.
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
    Supervisee.objects.filter(pk=people[0].pk).update(status=Supervisee.Status.RELEASED)
    moved = _agree()
    assert moved != before
    # Anything not in the key changes nothing.
    Supervisee.objects.update(legal_name="改名")
    assert _agree() == moved

    # Referrals closed and reopened, one at a time and together, moved to another person,
    # deleted; a change of anything else changes nothing.
    first = referrals[0]
    first.status = Referral.Status.CLOSED
    first.save()
    _agree()
    Referral.objects.filter(pk__in=[r.pk for r in referrals[1:4]]).update(
        status=Referral.Status.WITHDRAWN)
    _agree()
    Referral.objects.filter(pk=referrals[2].pk).update(status=Referral.Status.ACCEPTED)
    Referral.objects.filter(pk=referrals[4].pk).update(supervisee=people[1])
    Referral.objects.update(reason="改了理由")
    _agree()
    Referral.objects.filter(pk__in=[referrals[4].pk, referrals[5].pk]).delete()
    _agree()

    # A person going (their referrals first, as the foreign key asks) leaves nothing.
    gone = Supervisee.objects.get(pk=people[3].pk)
    key = (gone.unit_id, gone.caseworker_id, gone.is_juvenile, gone.is_sealed, gone.status)
    there = _expected()[key][0]
    Referral.objects.filter(supervisee=gone).delete()
    gone.delete()
    after = _agree()
    assert after.get(key, (0, 0))[0] == there - 1
    call_command("rollups", "--rebuild")
    assert _agree() == after


@pytest.mark.django_db
def test_the_check_names_a_row_that_differs_and_the_rebuild_repairs_it(world, capsys):
    call_command("rollups", "--check")
    assert "people_unitpeople agrees with the ledgers" in capsys.readouterr().out
    UnitPeople.objects.filter(unit=world.squad1).update(people=99)
    with pytest.raises(CommandError, match="row"):
        call_command("rollups", "--check")
    assert "people 99.00 ≠ 1.00" in capsys.readouterr().err
    call_command("rollups", "--rebuild")
    call_command("rollups", "--check")
    UnitPeople.objects.all().delete()
    assert rollups.differences(rollups.UNIT_PEOPLE)
    call_command("rollups", "--rebuild")
    _agree()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL (SQLite takes one at a time)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_referrals_and_moves_lose_nothing():
    from tests.world import build_world

    world = build_world()
    cw = world.users["caseworker"]
    service = f.help_service_create(world.ngo)
    people = [f.SuperviseeFactory(unit=world.squad1, caseworker=cw) for _ in range(6)]

    def refer(person):
        for i in range(4):
            r = _refer(person, service, cw)
            if i % 2:
                Referral.objects.filter(pk=r.pk).update(status=Referral.Status.CLOSED)

    def move():
        for unit in (world.squad2, world.bureau, world.squad1, world.squad2):
            Supervisee.objects.filter(pk__in=[p.pk for p in people[:3]]).update(unit=unit)

    errors = run_at_once(*[lambda p=p: refer(p) for p in people], move)
    assert errors == []
    kept = _agree()
    assert kept[(world.squad2.pk, cw.pk, False, False, "in_correction")][1] == 6
    assert kept[(world.squad1.pk, cw.pk, False, False, "in_correction")][1] == 6

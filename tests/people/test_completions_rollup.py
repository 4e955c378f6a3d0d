"""Courses completed, by the month of completion in the portal's time zone, kept in the
people's months and the units' months (portal/rollups.py, since migration people.0006)
by triggers on the enrolments: a completion counts, an enrolment reopened or deleted no
longer does, a completion moved to another month moves, a person moving unit takes their
completions along; `manage.py rollups --check` agrees after each."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import Enrolment
from portal import rollups
from portal.people.models import MonthHours, Supervisee, UnitMonthHours
from tests import factories as f
from tests.courses import factories as cf


def _at(year, month, day, hour=9):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def _completions_by_person():
    """{(person, month): completed} from the enrolments, counted in Python."""
    return dict(Counter(
        (e.supervisee_id, timezone.localtime(e.completed_at).date().replace(day=1))
        for e in Enrolment.objects.filter(status=Enrolment.Status.COMPLETED,
                                          completed_at__isnull=False)))


def _agree():
    expected = _completions_by_person()
    kept = {(m.supervisee_id, m.month): m.completions
            for m in MonthHours.objects.all() if m.completions}
    assert kept == expected
    people = {p.pk: p for p in Supervisee.objects.all()}
    by_unit = Counter()
    for (person, month), n in expected.items():
        p = people[person]
        by_unit[(p.unit_id, p.caseworker_id or 0, p.is_juvenile, p.is_sealed, month)] += n
    units = {(r.unit_id, r.caseworker_id, r.is_juvenile, r.is_sealed, r.month): r.completions
             for r in UnitMonthHours.objects.all() if r.completions}
    assert units == dict(by_unit)
    assert rollups.differences(rollups.MONTH_HOURS) == []
    assert rollups.differences(rollups.UNIT_HOURS) == []
    return expected


@pytest.mark.django_db
def test_completions_are_counted_in_their_local_month_and_follow_every_change(world):
    person, other = world.supervisee, world.other_supervisee
    courses = [cf.course_create(title=f"课程{i}", unit=world.bureau) for i in range(4)]
    # 23:30 on 31 March in Beijing is still March there, though April in UTC terms is not
    # the question: 1 April 00:30 in Beijing is 31 March 16:30 UTC, and counts in April.
    late_march = timezone.make_aware(datetime.datetime(2026, 3, 31, 23, 30))
    early_april = timezone.make_aware(datetime.datetime(2026, 4, 1, 0, 30))
    first = Enrolment.objects.create(supervisee=person, course=courses[0], status="completed",
                                     completed_at=late_march)
    second = Enrolment.objects.create(supervisee=person, course=courses[1],
                                      status="completed", completed_at=early_april)
    Enrolment.objects.create(supervisee=other, course=courses[0], status="active")
    counted = _agree()
    assert counted == {(person.pk, datetime.date(2026, 3, 1)): 1,
                       (person.pk, datetime.date(2026, 4, 1)): 1}

    # Completing one (a save), reopening one, moving a completion to another month.
    third = Enrolment.objects.get(supervisee=other, course=courses[0])
    third.status, third.completed_at = Enrolment.Status.COMPLETED, _at(2026, 4, 9)
    third.save()
    _agree()
    Enrolment.objects.filter(pk=first.pk).update(status=Enrolment.Status.ACTIVE)
    _agree()
    Enrolment.objects.filter(pk=second.pk).update(completed_at=_at(2026, 5, 2))
    assert _agree() == {(person.pk, datetime.date(2026, 5, 1)): 1,
                        (other.pk, datetime.date(2026, 4, 1)): 1}
    # Several at once, in one statement; a completion with no moment counts nowhere.
    Enrolment.objects.bulk_create([
        Enrolment(supervisee=person, course=courses[2], status="completed",
                  completed_at=_at(2026, 5, 20)),
        Enrolment(supervisee=other, course=courses[2], status="completed", completed_at=None),
        Enrolment(supervisee=other, course=courses[3], status="completed",
                  completed_at=_at(2026, 4, 30, 20))])
    _agree()
    Enrolment.objects.filter(completed_at__isnull=False).update(completed_at=_at(2026, 6, 1))
    assert _agree() == {(person.pk, datetime.date(2026, 6, 1)): 2,
                        (other.pk, datetime.date(2026, 6, 1)): 2}

    # The person moves unit: their completions go with them to the units' months.
    Supervisee.objects.filter(pk=person.pk).update(unit=world.squad2)
    _agree()
    person.refresh_from_db()
    assert UnitMonthHours.objects.get(
        unit=world.squad2, caseworker_id=person.caseworker_id or 0,
        is_juvenile=person.is_juvenile, is_sealed=person.is_sealed,
        month=datetime.date(2026, 6, 1)).completions == 2
    # Deleted enrolments no longer count; an unrelated change of an enrolment moves
    # nothing.
    Enrolment.objects.filter(supervisee=other, course=courses[3]).delete()
    Enrolment.objects.filter(supervisee=person).update(assigned_by=world.users["caseworker"])
    assert _agree() == {(person.pk, datetime.date(2026, 6, 1)): 2,
                        (other.pk, datetime.date(2026, 6, 1)): 1}


@pytest.mark.django_db
def test_a_person_deleted_takes_their_months_and_completions_in_any_order(world):
    person = f.SuperviseeFactory(unit=world.squad1)
    course = cf.course_create(title="课程", unit=world.bureau)
    Enrolment.objects.create(supervisee=person, course=course, status="completed",
                             completed_at=_at(2026, 2, 3))
    _agree()
    # The months go first (as a cascade may take them), then the enrolment: nothing is
    # left behind for a person who is gone.
    MonthHours.objects.filter(supervisee=person).delete()
    Enrolment.objects.filter(supervisee=person).delete()
    assert not MonthHours.objects.filter(supervisee=person).exists()
    call_command("rollups", "--rebuild")
    _agree()


@pytest.mark.django_db
def test_the_check_finds_a_wrong_count_and_the_rebuild_repairs_it(world):
    course = cf.course_create(title="课程", unit=world.bureau)
    Enrolment.objects.create(supervisee=world.supervisee, course=course, status="completed",
                             completed_at=_at(2026, 7, 7))
    _agree()
    MonthHours.objects.update(completions=5)
    wrong = rollups.differences(rollups.MONTH_HOURS)
    assert [(r["kept_completions"], r["ledger_completions"]) for r in wrong] == [(5, 1)]
    call_command("rollups", "--rebuild")
    _agree()

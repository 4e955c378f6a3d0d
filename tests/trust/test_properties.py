"""Properties that hold whatever people do, checked with hypothesis over random sequences
of sign-ups, cancellations, hours corrections and unit trees:

- sign-ups never exceed the places, and the waiting list is promoted in the order people
  joined it (service activities; course classes have no waiting list);
- a ledger's totals are the sum of its entries, and a correction nets out exactly what it
  corrects (volunteer-service hours, study hours);
- the people a staff member sees never include anyone the access rules withhold.

Each example runs in its own savepoint that is rolled back, so examples do not see each
other's rows; the examples are derandomised, so CI runs the same ones every time."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.organisations.models import Membership, Unit
from tests import factories as f

PROPERTY = settings(
    max_examples=20, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)


def tenth(value) -> Decimal:
    """SQLite keeps decimals as floating point and Django does not round its SUM()s
    (0.5 - 0.6 comes back as -0.0999999999999999); hours have one decimal place."""
    return Decimal(value or 0).quantize(Decimal("0.1"))


class Rollback(Exception):
    pass


def in_savepoint(fn):
    """Run one example inside a savepoint and undo it."""
    try:
        with transaction.atomic():
            fn()
            raise Rollback
    except Rollback:
        pass


# --- Service activities: capacity and the waiting list --------------------------------------

@pytest.fixture
def svc(world):
    from tests.volunteering.conftest import make_svc

    return make_svc(world)


@pytest.fixture
def people(svc):
    return [svc.person() for _ in range(6)]


operations = st.lists(
    st.tuples(st.sampled_from(["signup", "cancel"]), st.integers(min_value=0, max_value=5)),
    min_size=1, max_size=14,
)


@PROPERTY
@given(capacity=st.integers(min_value=1, max_value=3),
       waitlist_limit=st.integers(min_value=0, max_value=3), ops=operations)
def test_activity_places_and_waiting_list(svc, people, capacity, waitlist_limit, ops):
    from volunteering import services
    from volunteering.models import Activity, Signup

    def example():
        base = timezone.now()
        activity = svc.activity(capacity=capacity, waitlist_limit=waitlist_limit,
                                starts_at=base + datetime.timedelta(days=10))
        confirmed, waiting = [], []  # the model the portal must agree with
        for step, (op, i) in enumerate(ops):
            person = people[i]
            now = base + datetime.timedelta(seconds=step + 1)
            active = person in confirmed or person in waiting
            if op == "signup":
                try:
                    result = services.signup_create(supervisee=person, activity_id=activity.pk,
                                                    now=now)
                except services.ServiceError as refused:
                    assert active or (len(confirmed) == capacity
                                      and len(waiting) >= waitlist_limit), refused.code
                    assert refused.code in ("already_signed_up", "full")
                else:
                    assert not active
                    if len(confirmed) < capacity:
                        assert result.status == "confirmed" and result.position is None
                        confirmed.append(person)
                    else:
                        assert result.status == "waitlisted"
                        waiting.append(person)
                        assert result.position == len(waiting)
            else:
                try:
                    services.signup_cancel(supervisee=person, activity_id=activity.pk, now=now)
                except services.ServiceError as refused:
                    assert not active and refused.code == "not_signed_up"
                else:
                    assert active
                    if person in confirmed:
                        confirmed.remove(person)
                        if waiting:  # the first in the queue gets the place
                            confirmed.append(waiting.pop(0))
                    else:
                        waiting.remove(person)
            activity.refresh_from_db()
            stored = list(activity.signups.filter(status=Signup.Status.CONFIRMED)
                          .values_list("supervisee_id", flat=True))
            queue = list(activity.signups.filter(status=Signup.Status.WAITLISTED)
                         .order_by("created_at", "pk").values_list("supervisee_id", flat=True))
            assert len(stored) == activity.places_taken <= activity.capacity
            assert sorted(stored) == sorted(p.pk for p in confirmed)
            assert queue == [p.pk for p in waiting]
            assert activity.status == Activity.Status.PUBLISHED

    in_savepoint(example)


@PROPERTY
@given(capacity=st.integers(min_value=1, max_value=3), ops=operations)
def test_class_places_never_exceed_capacity(world, people, capacity, ops):
    from courses import services
    from courses.models import SessionSignup
    from tests.courses import factories as cf

    course = cf.course_create(unit=world.bureau)

    def example():
        session = cf.session_create(course, capacity=capacity)
        signed = set()
        for op, i in ops:
            person = people[i]
            if op == "signup":
                try:
                    services.session_signup(session_id=session.pk, supervisee=person)
                except services.ServiceError as refused:
                    assert person.pk in signed or len(signed) == capacity, refused.code
                else:
                    assert person.pk not in signed and len(signed) < capacity
                    signed.add(person.pk)
            else:
                try:
                    services.session_signup_cancel(session_id=session.pk, supervisee=person,
                                                   cancelled_by=person.user)
                except services.ServiceError as refused:
                    assert person.pk not in signed and refused.code == "not_signed_up"
                else:
                    signed.discard(person.pk)
            stored = set(SessionSignup.objects.filter(
                session=session, status=SessionSignup.Status.CONFIRMED)
                .values_list("supervisee_id", flat=True))
            assert stored == signed and len(stored) <= capacity

    in_savepoint(example)


# --- Ledgers: totals are sums, corrections net out --------------------------------------------

hour_values = st.lists(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("8"), places=1), min_size=1,
    max_size=5)


@PROPERTY
@given(adjustments=hour_values)
def test_service_hours_ledger_sums_and_corrections_net_out(svc, people, adjustments):
    from volunteering import selectors, services
    from volunteering.models import HoursEntry, Signup

    person = people[0]

    def example():
        starts = timezone.now() - datetime.timedelta(days=2)
        activity = svc.activity(starts_at=starts,
                                signup_deadline=starts - datetime.timedelta(days=1))
        signup = Signup.objects.create(activity=activity, supervisee=person, status="confirmed",
                                       confirmed_at=starts)
        services.attendance_record(actor=svc.world.users["ngo"], signup=signup,
                                   checked_in_at=starts,
                                   checked_out_at=starts + datetime.timedelta(hours=2))
        credited = Decimal("2")
        for hours in adjustments:
            try:
                services.hours_adjust(actor=svc.world.users["ngo"], signup=signup, hours=hours,
                                      reason="复核签到表")
            except services.ServiceError as refused:
                assert refused.code == "unchanged" and hours == credited
            else:
                credited = hours
            entries = list(HoursEntry.objects.filter(signup=signup))
            assert sum(e.hours for e in entries) == credited
            # Every reversal cancels exactly the entry it reverses.
            for entry in entries:
                if entry.reverses_id:
                    assert entry.hours == -entry.reverses.hours
            live = [e for e in entries if e.reverses_id is None
                    and not any(r.reverses_id == e.pk for r in entries)]
            assert sum(e.hours for e in live) == credited
        totals = selectors.hours_totals(person)
        all_entries = HoursEntry.objects.filter(supervisee=person)
        assert tenth(totals["volunteer_service"]) == sum(
            e.hours for e in all_entries.filter(kind="volunteer_service"))
        assert tenth(sum(r["total"] for r in selectors.hours_by_month(person))) == sum(
            e.hours for e in all_entries)

    in_savepoint(example)


@PROPERTY
@given(credits=st.lists(st.decimals(min_value=Decimal("0.5"), max_value=Decimal("4"),
                                    places=1), min_size=1, max_size=3),
       changes=st.lists(st.tuples(st.integers(min_value=0, max_value=2),
                                  st.decimals(min_value=Decimal("-4"), max_value=Decimal("4"),
                                              places=1)), max_size=6))
def test_study_hours_ledger_sums_and_corrections_net_out(world, credits, changes):
    from courses import selectors, services
    from courses.models import StudyHoursEntry

    person = world.supervisee
    staff = world.users["caseworker"]

    def example():
        today = timezone.localdate()
        originals = [StudyHoursEntry.objects.create(
            supervisee=person, kind="attendance", hours=h, credited_on=today)
            for h in credits]
        balance = {e.pk: e.hours for e in originals}
        for index, change in changes:
            entry = originals[index % len(originals)]
            try:
                services.study_hours_correct(entry=entry, change=change, corrected_by=staff,
                                             reason="更正")
            except services.ServiceError as refused:
                assert refused.code == "invalid_hours"
                assert change == 0 or balance[entry.pk] + change < 0
            else:
                balance[entry.pk] += change
            for original in originals:
                net = tenth(StudyHoursEntry.objects.filter(corrects=original).aggregate(
                    t=Sum("hours"))["t"])
                assert original.hours + net == balance[original.pk] >= 0
            month = selectors.study_hours_month(person, today)
            assert month.done == sum(balance.values())
            assert month.done == sum(e.hours for e in month.entries)
            assert tenth(selectors.study_hours_month(person, today, with_entries=False).done) \
                == month.done

    in_savepoint(example)


# --- Access: who sees which person ------------------------------------------------------------

trees = st.integers(min_value=1, max_value=5).flatmap(
    lambda n: st.tuples(*[st.integers(min_value=0, max_value=max(i - 1, 0))
                          for i in range(n)]))
persons = st.lists(st.tuples(st.integers(min_value=0, max_value=4), st.booleans(),
                             st.booleans(), st.booleans()), max_size=6)


@PROPERTY
@given(parents=trees, folks=persons, viewer_unit=st.integers(min_value=0, max_value=4),
       admin=st.booleans())
def test_staff_see_exactly_what_the_rules_allow(db, parents, folks, viewer_unit, admin):
    from portal.access import supervisees_visible_to

    def example():
        units = []
        for i, parent in enumerate(parents):
            if i == 0:
                units.append(f.unit_create(f"县局{i}"))
            else:
                parent_unit = Unit.objects.get(pk=units[parent].pk)  # fresh path counters
                units.append(f.unit_create(f"中队{i}", kind="squad", parent=parent_unit))
        where = units[viewer_unit % len(units)]
        viewer = f.caseworker_create(
            where, role=Membership.Role.UNIT_ADMIN if admin else Membership.Role.CASEWORKER)
        partner = f.partner_staff_create(f.OrganisationFactory())

        def below(i, top):  # unit i is top or under it, by the parent list alone
            while True:
                if i == top:
                    return True
                if i == 0:
                    return False
                i = parents[i]

        expected = set()
        for unit_i, juvenile, sealed, assigned in folks:
            unit_i %= len(units)
            person = f.SuperviseeFactory(
                unit=units[unit_i], is_juvenile=juvenile, is_sealed=sealed,
                caseworker=viewer if assigned else None)
            in_subtree = below(unit_i, units.index(where))
            if admin:
                allowed = in_subtree
            else:
                allowed = in_subtree and not person.is_sealed and (not juvenile or assigned)
            if allowed:
                expected.add(person.pk)
        assert set(supervisees_visible_to(viewer).values_list("pk", flat=True)) == expected
        assert not supervisees_visible_to(partner).exists()

    in_savepoint(example)

"""No over-booking under concurrent sign-ups, proved on PostgreSQL with real row locks:
many threads, each with its own database connection, sign up for few places at once.
The data is committed for real (transactional_db) so the threads see it; the flush after
the test and the append-only triggers are handled by tests/plugins/transactional.py."""

import threading

import pytest
from django.db import connections

from volunteering import services
from volunteering.models import Activity, Signup
from volunteering.services import ServiceError

from .pg import requires_postgres

pytestmark = [pytest.mark.postgres, requires_postgres]


def test_many_concurrent_signups_never_overbook(transactional_db):
    from tests.volunteering.conftest import make_svc

    svc = make_svc()
    capacity, waitlist, crowd = 3, 4, 24
    activity = svc.activity(capacity=capacity, waitlist_limit=waitlist)
    people = [svc.person() for _ in range(crowd)]
    barrier = threading.Barrier(crowd)
    outcomes, errors = [], []

    def attempt(person):
        try:
            barrier.wait(timeout=30)
            result = services.signup_create(supervisee=person, activity_id=activity.pk)
            outcomes.append(result.status)
        except ServiceError as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported below, not swallowed
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors, errors
    assert outcomes.count("confirmed") == capacity
    assert outcomes.count("waitlisted") == waitlist
    assert outcomes.count("full") == crowd - capacity - waitlist
    activity.refresh_from_db()
    assert activity.places_taken == capacity
    assert Signup.objects.filter(activity=activity, status="confirmed").count() == capacity
    assert Signup.objects.filter(activity=activity, status="waitlisted").count() == waitlist


def test_concurrent_cancellations_promote_each_waiting_person_once(transactional_db):
    from tests.volunteering.conftest import make_svc

    svc = make_svc()
    activity = svc.activity(capacity=4, waitlist_limit=10)
    holders = [svc.person() for _ in range(4)]
    waiting = [svc.person() for _ in range(6)]
    for p in holders + waiting:
        services.signup_create(supervisee=p, activity_id=activity.pk)
    barrier = threading.Barrier(len(holders))
    errors = []

    def leave(person):
        try:
            barrier.wait(timeout=30)
            services.signup_cancel(supervisee=person, activity_id=activity.pk)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=leave, args=(p,)) for p in holders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    activity = Activity.objects.get(pk=activity.pk)
    confirmed = set(Signup.objects.filter(activity=activity, status="confirmed")
                    .values_list("supervisee_id", flat=True))
    assert activity.places_taken == 4 == len(confirmed)
    assert confirmed == {p.pk for p in waiting[:4]}

"""Many people booking one counselling slot at the same moment: exactly one gets it.
Proved on PostgreSQL with real row locks (threads with their own connections)."""

import threading

import pytest
from django.db import connection, connections

from helpnet import services
from helpnet.models import Appointment
from helpnet.services import ServiceError
from tests import factories as f
from tests.world import build_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL (row locks); set DATABASE_URL to run"),
]


def test_simultaneous_bookings_of_one_slot_yield_exactly_one(transactional_db):
    world = build_world()
    slot = f.counselling_slot_create(world.counselling)
    people = [f.SuperviseeFactory(unit=world.squad1) for _ in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes, errors = [], []

    def attempt(person):
        try:
            barrier.wait(timeout=30)
            services.appointment_book(actor=person.user, slot_id=slot.pk, supervisee=person)
            outcomes.append("ok")
        except ServiceError as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert outcomes.count("ok") == 1
    assert outcomes.count("slot_taken") == len(people) - 1
    assert Appointment.objects.filter(slot=slot).count() == 1

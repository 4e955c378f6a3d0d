"""No job is filled beyond its places and nobody applies twice, even at the same moment:
proved on PostgreSQL with real row locks (threads with their own connections, data
committed for real, flushed after the test)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from employment import services
from employment.models import Application, Job, Placement
from employment.services import ServiceError
from tests import factories as f
from tests.world import build_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL (row locks); set DATABASE_URL to run"),
]


def _race(n, action):
    barrier = threading.Barrier(n)
    outcomes, errors = [], []

    def attempt(i):
        try:
            barrier.wait(timeout=30)
            action(i)
            outcomes.append("ok")
        except ServiceError as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported below, not swallowed
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return outcomes


def _job(world, **kwargs):
    home = f.DistrictFactory(code="race-home", name="赛镇", county="赛县")
    industry = f.IndustryFactory(code="race-industry", name="物流")
    return Job.objects.create(organisation=world.enterprise, title="分拣员", industry=industry,
                              district=home, **kwargs), home


def test_concurrent_hires_never_fill_more_than_the_places(transactional_db):
    world = build_world()
    job, home = _job(world, places=2)
    people = [f.SuperviseeFactory(unit=world.squad1, home_district=home) for _ in range(8)]
    applications = [services.application_create(supervisee=p, job_id=job.pk) for p in people]
    staff = world.users["enterprise"]
    start = timezone.localdate() - datetime.timedelta(days=1)

    outcomes = _race(len(applications), lambda i: services.application_status_set(
        actor=staff, application_id=applications[i].pk, status="hired", started_on=start))

    assert outcomes.count("ok") == 2
    assert outcomes.count("no_places") == 6
    assert Placement.objects.filter(job=job).count() == 2
    job.refresh_from_db()
    assert job.status == "closed"


def test_applying_twice_at_once_makes_one_application(transactional_db):
    world = build_world()
    job, home = _job(world, places=5)
    person = world.supervisee
    person.home_district = home
    person.save(update_fields=["home_district"])

    outcomes = _race(6, lambda i: services.application_create(supervisee=person,
                                                              job_id=job.pk))

    assert outcomes.count("ok") == 1
    assert outcomes.count("already_applied") == 5
    assert Application.objects.filter(job=job, supervisee=person).count() == 1

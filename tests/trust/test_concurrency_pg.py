"""What people race for, proved on PostgreSQL with real row locks and one database
connection per thread. Adds to tests/volunteering/test_concurrency_pg.py and
tests/courses/test_signup.py (many people, few places, at the service layer):

- many phones sign up for a few places through the API at the same moment: exactly the
  places are given, everyone else hears a clear 409 `full`;
- one person's sign-up pressed several times at once: one place, the rest
  `already_signed_up` (activities and classes);
- one person's code scanned on several organisers' phones at once: checked in once, the
  rest `already_checked_in`; one class attendance and one study-hours credit, the rest
  `already_recorded`.

The data is committed for real (transactional_db) so the threads see it."""

import datetime
import json
import threading

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone
from wagtail.models import APIToken

from tests import factories as f
from tests.courses import factories as cf
from tests.volunteering.pg import requires_postgres

pytestmark = [pytest.mark.postgres, requires_postgres]


def race(calls):
    """Run the callables at the same moment, each in its own thread with its own
    connection; their results (or the exception each raised)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as error:  # noqa: BLE001 - the caller looks at each outcome
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def code_of(outcome):
    return getattr(outcome, "code", None) or type(outcome).__name__


def test_api_sign_ups_for_few_places_give_clear_answers(transactional_db):
    from tests.volunteering.conftest import make_svc
    from volunteering.models import Signup

    svc = make_svc()
    activity = svc.activity(capacity=2, waitlist_limit=1)
    people = [svc.person() for _ in range(8)]
    tokens = [APIToken.create_token(user=p.user, name="race")[1] for p in people]

    def sign_up(token):
        def call():
            response = Client().post(f"/api/v1/activities/{activity.pk}/signup",
                                     content_type="application/json", data="{}",
                                     HTTP_AUTHORIZATION=f"Bearer {token}")
            return response.status_code, json.loads(response.content)
        return call

    outcomes = race([sign_up(t) for t in tokens])
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    statuses = sorted(status for status, _body in outcomes)
    assert statuses == [201, 201, 201] + [409] * 5, outcomes
    created = [body for status, body in outcomes if status == 201]
    assert sorted(b["status"] for b in created) == ["confirmed", "confirmed", "waitlisted"]
    assert [b["position"] for b in created if b["status"] == "waitlisted"] == [1]
    for status, body in outcomes:
        if status == 409:
            assert body["code"] == "full" and body["detail"]
    activity.refresh_from_db()
    assert activity.places_taken == 2
    assert Signup.objects.filter(activity=activity, status="confirmed").count() == 2


def test_one_person_pressing_sign_up_many_times_gets_one_place(transactional_db):
    from courses import services as course_services
    from tests.volunteering.conftest import make_svc
    from volunteering import services
    from volunteering.models import Signup

    svc = make_svc()
    activity = svc.activity(capacity=5)
    person = svc.person()
    outcomes = race([lambda: services.signup_create(supervisee=person,
                                                    activity_id=activity.pk)] * 6)
    assert sum(1 for o in outcomes if not isinstance(o, Exception)) == 1, outcomes
    assert sorted(code_of(o) for o in outcomes if isinstance(o, Exception)) == \
        ["already_signed_up"] * 5
    assert Signup.objects.filter(activity=activity, supervisee=person).count() == 1
    activity.refresh_from_db()
    assert activity.places_taken == 1

    session = cf.session_create(cf.course_create(unit=svc.world.bureau), capacity=5)
    outcomes = race([lambda: course_services.session_signup(session_id=session.pk,
                                                            supervisee=person)] * 6)
    assert sorted(code_of(o) for o in outcomes if isinstance(o, Exception)) == \
        ["already_signed_up"] * 5
    assert session.signups.filter(supervisee=person, status="confirmed").count() == 1


def test_one_code_scanned_on_several_phones_checks_in_once(transactional_db):
    from portal.checkin.services import checkin_payload_for
    from tests.volunteering.conftest import make_svc
    from volunteering import services
    from volunteering.models import Signup

    svc = make_svc()
    starts = timezone.now() - datetime.timedelta(minutes=30)
    activity = svc.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(days=1))
    person = svc.person()
    signup = Signup.objects.create(activity=activity, supervisee=person, status="confirmed",
                                   confirmed_at=starts)
    payload = checkin_payload_for(person.user)
    organiser = svc.world.users["ngo"]
    outcomes = race([lambda: services.checkin(actor=organiser, activity=activity,
                                              payload=payload)] * 5)
    succeeded = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(succeeded) == 1, outcomes
    assert sorted(code_of(o) for o in outcomes if isinstance(o, Exception)) == \
        ["already_checked_in"] * 4
    signup.refresh_from_db()
    assert signup.checked_in_at == succeeded[0].checked_in_at


def test_class_attendance_recorded_at_once_credits_once(transactional_db):
    from courses import services
    from courses.models import Attendance, SessionSignup, StudyHoursEntry

    unit = f.unit_create("并发签到司法局")
    staff = f.caseworker_create(unit)
    person = f.SuperviseeFactory(unit=unit, caseworker=staff)
    course = cf.course_create(unit=unit)
    session = cf.session_create(course, starts_in=-datetime.timedelta(minutes=20),
                                study_hours="2.0")
    SessionSignup.objects.create(session=session, supervisee=person)
    outcomes = race([lambda: services.attendance_record(
        session=session, supervisee=person, recorded_by=staff, method="qr")] * 5)
    assert sum(1 for o in outcomes if not isinstance(o, Exception)) == 1, outcomes
    assert sorted(code_of(o) for o in outcomes if isinstance(o, Exception)) == \
        ["already_recorded"] * 4
    assert Attendance.objects.filter(session=session, supervisee=person).count() == 1
    assert StudyHoursEntry.objects.filter(supervisee=person).count() == 1

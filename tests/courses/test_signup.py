"""Signing up for classes: within capacity, before the deadline, once; cancelling."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from courses import services
from courses.models import Enrolment, SessionSignup
from portal.errors import ServiceError
from tests import factories as f
from tests.courses import factories as cf


def live_signups(session):
    return SessionSignup.objects.filter(session=session, status="confirmed").count()


def test_sign_up_enrols_in_the_course(world, course, person):
    session = cf.session_create(course)
    signup = services.session_signup(session_id=session.pk, supervisee=person)
    assert signup.status == "confirmed"
    assert Enrolment.objects.filter(supervisee=person, course=course).exists()


@pytest.mark.parametrize("setup, code", [
    ("full", "full"),
    ("deadline", "deadline_passed"),
    ("started", "deadline_passed"),
    ("twice", "already_signed_up"),
    ("cancelled", "session_cancelled"),
])
def test_bad_sign_ups_are_refused_and_change_nothing(world, course, person, setup, code):
    session = cf.session_create(course, capacity=1)
    if setup == "full":
        services.session_signup(session_id=session.pk, supervisee=world.other_supervisee)
    elif setup == "deadline":
        session.signup_deadline = session.starts_at - datetime.timedelta(days=5)
        session.save()
    elif setup == "started":
        session = cf.session_create(course, starts_in=datetime.timedelta(minutes=-10))
    elif setup == "twice":
        services.session_signup(session_id=session.pk, supervisee=person)
    elif setup == "cancelled":
        services.session_cancel(session=session, by=world.users["caseworker"])
    before = SessionSignup.objects.count()
    with pytest.raises(ServiceError) as refused:
        services.session_signup(session_id=session.pk, supervisee=person)
    assert refused.value.code == code
    assert refused.value.status == 409
    assert SessionSignup.objects.count() == before


def test_a_juvenile_cannot_join_an_adults_class(world):
    course = cf.course_create(unit=world.bureau, audience="adults")
    session = cf.session_create(course)
    with pytest.raises(ServiceError) as refused:
        services.session_signup(session_id=session.pk, supervisee=world.juvenile)
    assert refused.value.code == "not_suitable"
    assert live_signups(session) == 0


def test_cancelling_frees_the_place_and_keeps_the_history(world, course, person):
    session = cf.session_create(course, capacity=1)
    services.session_signup(session_id=session.pk, supervisee=person)
    services.session_signup_cancel(session_id=session.pk, supervisee=person,
                                   cancelled_by=person.user)
    assert live_signups(session) == 0
    assert SessionSignup.objects.filter(session=session, status="cancelled").count() == 1
    # the freed place can be taken, and the person may sign up again
    services.session_signup(session_id=session.pk, supervisee=person)
    assert live_signups(session) == 1


def test_cancel_without_a_sign_up_or_after_the_start_is_refused(world, course, person):
    session = cf.session_create(course)
    with pytest.raises(ServiceError) as refused:
        services.session_signup_cancel(session_id=session.pk, supervisee=person,
                                       cancelled_by=person.user)
    assert refused.value.code == "not_signed_up"
    started = cf.session_create(course, starts_in=datetime.timedelta(days=2))
    services.session_signup(session_id=started.pk, supervisee=person)
    type(started).objects.filter(pk=started.pk).update(
        starts_at=started.starts_at - datetime.timedelta(days=2, minutes=5))
    with pytest.raises(ServiceError) as refused:
        services.session_signup_cancel(session_id=started.pk, supervisee=person,
                                       cancelled_by=person.user)
    assert refused.value.code == "session_started"
    assert live_signups(started) == 1


def test_the_database_refuses_a_second_live_sign_up(world, course, person):
    from django.db import IntegrityError, transaction

    session = cf.session_create(course)
    SessionSignup.objects.create(session=session, supervisee=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionSignup.objects.create(session=session, supervisee=person)


def test_sign_up_page_flow_with_messages(world, course, person, login):
    session = cf.session_create(course, capacity=1)
    client = login(person.user)
    url = reverse("courses:signup", args=[session.pk])
    response = client.post(url, follow=True)
    assert "You are signed up" in response.content.decode() or "报名成功" in \
        response.content.decode() or live_signups(session) == 1
    assert live_signups(session) == 1
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert live_signups(session) == 1
    messages = [str(m) for m in response.context["messages"]]
    assert any(str(services.MESSAGES["already_signed_up"][0]) == m for m in messages)
    other = login(world.other_supervisee.user)
    other.post(url)
    assert live_signups(session) == 1  # full: the other person was refused


def test_staff_cannot_sign_up_as_a_person(world, course, login):
    session = cf.session_create(course)
    response = login(world.users["caseworker"]).post(reverse("courses:signup",
                                                             args=[session.pk]))
    assert response.status_code == 403
    assert live_signups(session) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_overbook():
    """Twelve people press "sign up" at once for three places: exactly three get in.
    Each thread has its own database connection, so the row lock is what keeps order."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks under concurrency can only be proven on PostgreSQL; SQLite "
                    "serialises writers with BEGIN IMMEDIATE (DATABASE_URL=postgres://…).")
    world_unit = f.unit_create("并发测试司法局")
    course = cf.course_create(unit=world_unit)
    session = cf.session_create(course, capacity=3)
    people = [f.SuperviseeFactory(unit=world_unit) for _ in range(12)]
    barrier = threading.Barrier(len(people))
    outcomes = []
    lock = threading.Lock()

    def attempt(person):
        try:
            barrier.wait(timeout=30)
            services.session_signup(session_id=session.pk, supervisee=person)
            result = "ok"
        except ServiceError as error:
            result = error.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["full"] * 9 + ["ok"] * 3
    assert live_signups(session) == 3

"""Properties of study time, whatever the sequence of heartbeats and completions
(hypothesis, derandomised like tests/trust/test_properties.py):

- the study hours credited for a course never exceed the hours it declares;
- the time recorded never exceeds the real time that passed;
- a lesson without a quiz is done only once its minimum time is recorded."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses import services
from courses.models import LessonProgress, LessonTime, StudyHoursEntry
from portal.errors import ServiceError
from tests.courses import factories as cf

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)


class Rollback(Exception):
    pass


class Clock:
    def __init__(self):
        self.now = timezone.now().replace(microsecond=0)

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(services, "_now", clock)
    return clock


@pytest.fixture
def course(world):
    """Three lessons, the last with a quiz; the hours are set per example."""
    course = cf.course_create(unit=world.bureau, lessons=3, quiz_on_last=True,
                              study_hours="0.1")
    services.enrolment_create(supervisee=world.supervisee, course=course)
    return course


operations = st.lists(st.one_of(
    # a heartbeat on lesson i claiming `seconds` after `wait` real seconds
    st.tuples(st.just("beat"), st.integers(0, 2), st.integers(-5, 4000),
              st.integers(0, 900)),
    # marking lesson i done (the quiz answered right or half right)
    st.tuples(st.just("complete"), st.integers(0, 2), st.booleans(), st.just(0)),
), min_size=1, max_size=30)


@PROPERTY
@given(hours=st.sampled_from(["0", "0.1", "0.2", "1.5"]),
       minimums=st.lists(st.one_of(st.none(), st.sampled_from(["0", "0.5", "2", "7.5"])),
                         min_size=3, max_size=3),
       ops=operations)
def test_credited_hours_never_exceed_the_declared_hours(world, course, clock, hours,
                                                         minimums, ops):
    person = world.supervisee
    lessons = [c.specific for c in course.get_children().order_by("path")]

    def example():
        type(course).objects.filter(pk=course.pk).update(study_hours=Decimal(hours))
        course.refresh_from_db()
        for lesson, minimum in zip(lessons, minimums, strict=True):
            lesson.min_minutes = None if minimum is None else Decimal(minimum)
            type(lesson).objects.filter(pk=lesson.pk).update(min_minutes=lesson.min_minutes)
        started = clock.now
        for op, index, value, wait in ops:
            clock.now += datetime.timedelta(seconds=wait)
            lesson = lessons[index]
            try:
                if op == "beat":
                    services.lesson_heartbeat(supervisee=person, lesson=lesson,
                                              seconds=value)
                else:
                    services.lesson_complete(supervisee=person, lesson=lesson,
                                             answers=cf.RIGHT if value else cf.HALF)
            except ServiceError:
                pass
            credited = (StudyHoursEntry.objects.filter(supervisee=person, course=course)
                        .aggregate(total=Sum("hours"))["total"] or Decimal("0"))
            assert Decimal(credited).quantize(Decimal("0.1")) <= course.study_hours
            recorded = LessonTime.objects.aggregate(total=Sum("seconds"))["total"] or 0
            assert recorded <= (clock.now - started).total_seconds()
            for done in LessonProgress.objects.filter(enrolment__supervisee=person):
                if done.quiz_score is None:  # done by time, not by a quiz
                    spent = (LessonTime.objects.filter(lesson=done.lesson_id)
                             .values_list("seconds", flat=True).first() or 0)
                    required = services.lesson_required_seconds(
                        next(x for x in lessons if x.pk == done.lesson_id), course)
                    assert spent >= required

    try:
        with transaction.atomic():
            example()
            raise Rollback
    except Rollback:
        pass

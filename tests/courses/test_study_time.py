"""Honest study time: a lesson without a quiz counts only after the person has spent its
minimum time on the page (heartbeats of visible time, trusted for no more than the real
time between them); "continue learning" goes back to where the person stopped."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrolment, LessonProgress, LessonTime, StudyHoursEntry
from portal.errors import ServiceError
from tests.courses import factories as cf
from tests.i18n import zh

pytestmark = pytest.mark.django_db


class Clock:
    """The server's clock for heartbeats, moved by hand."""

    def __init__(self):
        self.now = timezone.now().replace(microsecond=0)

    def __call__(self):
        return self.now

    def tick(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(services, "_now", clock)
    return clock


@pytest.fixture
def course(world):
    """1.5 study hours over three lessons: 30 minutes each; the last has a quiz."""
    return cf.course_create(title="民法典与生活", unit=world.bureau, lessons=3,
                            quiz_on_last=True, study_hours="1.5")


def lessons(course):
    return [c.specific for c in course.get_children().order_by("path")]


@pytest.fixture
def enrolled(world, course):
    return services.enrolment_create(supervisee=world.supervisee, course=course)


def beat(person, lesson, seconds, **position):
    return services.lesson_heartbeat(supervisee=person, lesson=lesson, seconds=seconds,
                                     **position)


def study(clock, person, lesson, seconds, every=15):
    """What the page does while it is visible: a first report, then one every `every`."""
    beat(person, lesson, 0)
    for _ in range(seconds // every):
        clock.tick(every)
        beat(person, lesson, every)


def test_the_minimum_is_the_course_hours_shared_over_its_lessons_or_the_lesson_own(
        world, course):
    first = lessons(course)[0]
    assert services.lesson_required_seconds(first) == 30 * 60
    first.min_minutes = Decimal("12.5")
    assert services.lesson_required_seconds(first) == 750


def test_marking_done_at_once_is_refused_and_changes_nothing(world, course, enrolled,
                                                             clock):
    person, first = world.supervisee, lessons(course)[0]
    study(clock, person, first, 60)
    with pytest.raises(ServiceError) as refused:
        services.lesson_complete(supervisee=person, lesson=first)
    assert (refused.value.code, refused.value.status) == ("more_time_needed", 409)
    assert "29" in refused.value.message  # about 29 more minutes
    assert not LessonProgress.objects.exists()
    assert not StudyHoursEntry.objects.exists()


def test_after_the_minimum_time_the_lesson_counts(world, course, enrolled, clock):
    person, first = world.supervisee, lessons(course)[0]
    study(clock, person, first, 30 * 60 + 60)
    time = LessonTime.objects.get(lesson=first)
    assert 30 * 60 <= time.seconds <= 30 * 60 + 60
    result = services.lesson_complete(supervisee=person, lesson=first)
    assert result.completed and LessonProgress.objects.filter(lesson=first).exists()


def test_the_web_form_refuses_with_the_minutes_left_and_the_button_is_disabled(
        world, course, enrolled, login, clock):
    person, first = world.supervisee, lessons(course)[0]
    client = login(person.user)
    page = client.get(first.url).content.decode()
    # Without JavaScript the page can be read; the button stays refused until time is in.
    assert 'disabled data-complete' in page
    assert zh("Still about %(n)s min to study") % {"n": 30} in page
    assert reverse("api-v1:lesson_heartbeat", args=[first.pk]) in page
    response = client.post(reverse("courses:lesson_complete", args=[first.pk]), follow=True)
    assert "30" in response.content.decode()
    assert not LessonProgress.objects.exists()
    cf.studied(person, first)
    page = client.get(first.url).content.decode()
    assert 'disabled data-complete' not in page and "data-complete" in page
    client.post(reverse("courses:lesson_complete", args=[first.pk]))
    assert LessonProgress.objects.filter(lesson=first).exists()


def test_a_passed_quiz_counts_without_the_time(world, course, enrolled, clock):
    quiz_lesson = lessons(course)[2]
    result = services.lesson_complete(supervisee=world.supervisee, lesson=quiz_lesson,
                                      answers=cf.RIGHT)
    assert result.completed and result.passed


def test_one_big_number_adds_no_more_than_the_real_time(world, course, enrolled, clock):
    person, first = world.supervisee, lessons(course)[0]
    assert beat(person, first, 3600).seconds == 0  # the first report only starts the clock
    clock.tick(10)
    assert beat(person, first, 3600).seconds == 10  # 10 real seconds, not an hour
    clock.tick(3600)
    assert beat(person, first, 3600).seconds == 10 + services.BEAT_MAX_SECONDS
    clock.tick(20)
    assert beat(person, first, 5).seconds == 10 + services.BEAT_MAX_SECONDS + 5


def test_hidden_time_is_not_counted(world, course, enrolled, clock):
    """The page stops reporting while hidden and, visible again, reports 0 to restart."""
    person, first = world.supervisee, lessons(course)[0]
    study(clock, person, first, 60)
    clock.tick(40 * 60)  # the phone was locked
    assert beat(person, first, 0).seconds == 60
    clock.tick(15)
    assert beat(person, first, 15).seconds == 75


def test_two_tabs_share_one_clock(world, course, enrolled, clock):
    person, (first, second, _quiz) = world.supervisee, lessons(course)
    beat(person, first, 0)
    beat(person, second, 0)
    for _ in range(4):
        clock.tick(15)
        beat(person, first, 15)
        beat(person, second, 15)  # the same 15 seconds, claimed twice
    total = sum(LessonTime.objects.values_list("seconds", flat=True))
    assert total == 60


@pytest.mark.parametrize("payload", [
    {"seconds": -1}, {"seconds": 3601}, {"seconds": "15"}, {"seconds": True},
    {"seconds": 15, "scroll_percent": 101}, {"seconds": 15, "video_seconds": -3},
])
def test_a_bad_report_is_refused_and_records_nothing(world, course, enrolled, clock,
                                                     payload):
    with pytest.raises(ServiceError) as refused:
        beat(world.supervisee, lessons(course)[0], **payload)
    assert (refused.value.code, refused.value.status) == ("invalid_heartbeat", 422)
    assert not LessonTime.objects.exists()


def test_reports_need_an_enrolment(world, course, clock):
    with pytest.raises(ServiceError) as refused:
        beat(world.supervisee, lessons(course)[0], 0)
    assert refused.value.code == "not_enrolled"
    assert not LessonTime.objects.exists()


def test_the_course_credits_its_declared_hours_once(world, course, enrolled, clock):
    person = world.supervisee
    first, second, quiz_lesson = lessons(course)
    for lesson in (first, second):
        study(clock, person, lesson, 31 * 60)
        services.lesson_complete(supervisee=person, lesson=lesson)
        study(clock, person, lesson, 5 * 60)  # reading it again adds time, not hours
    result = services.lesson_complete(supervisee=person, lesson=quiz_lesson,
                                      answers=cf.RIGHT)
    assert result.course_completed
    assert [e.hours for e in StudyHoursEntry.objects.all()] == [Decimal("1.5")]


def test_continue_learning_goes_back_to_the_last_lesson_and_place(world, course, enrolled,
                                                                   login, clock):
    person, (first, second, _quiz) = world.supervisee, lessons(course)
    client = login(person.user)
    page = client.get(course.url).content.decode()
    assert zh("Start learning") in page and f'href="{first.url}#continue"' in page
    beat(person, first, 0, scroll_percent=100)
    clock.tick(60)
    beat(person, second, 0, video_seconds=95, scroll_percent=40)
    page = client.get(course.url).content.decode()
    assert zh("Continue learning") in page and f'href="{second.url}#continue"' in page
    lesson_page = client.get(second.url).content.decode()
    assert 'data-video-at="95"' in lesson_page and 'data-scroll="40"' in lesson_page


def test_a_completed_course_offers_no_continue_link(world, login):
    course = cf.course_create(unit=world.bureau, lessons=1, study_hours="0.5")
    person = world.supervisee
    services.enrolment_create(supervisee=person, course=course)
    cf.studied(person, lessons(course)[0])
    services.lesson_complete(supervisee=person, lesson=lessons(course)[0])
    assert Enrolment.objects.get().is_completed
    page = login(person.user).get(course.url).content.decode()
    assert "#continue" not in page


# --- The API ---------------------------------------------------------------------------------

@pytest.fixture
def api(client, world):
    """api(role) → a client sending the role's bearer token."""
    from wagtail.models import APIToken

    def _api(role):
        _, raw = APIToken.create_token(user=world.users[role], name="test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return _api


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_heartbeat_progress_and_resume_through_the_api(world, course, api, clock):
    client = api("supervisee")
    first = lessons(course)[0]
    url = f"/api/v1/lessons/{first.pk}/heartbeat"
    refused = post(client, url, {"seconds": 0})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_enrolled")
    assert client.get(f"/api/v1/courses/{course.pk}/resume").status_code == 403
    post(client, f"/api/v1/courses/{course.pk}/enrol", {})
    resume = client.get(f"/api/v1/courses/{course.pk}/resume").json()
    assert resume["lesson_id"] == first.pk and resume["started"] is False
    assert post(client, url, {"seconds": 0}).json()["seconds"] == 0
    clock.tick(15)
    answer = post(client, url, {"seconds": 15, "video_seconds": 12, "scroll_percent": 30})
    assert answer.status_code == 200
    body = answer.json()
    assert body == {"lesson_id": first.pk, "seconds": 15, "required_seconds": 1800,
                    "remaining_seconds": 1785, "remaining_minutes": 30, "counts": False,
                    "done": False, "video_seconds": 12, "scroll_percent": 30}
    bad = post(client, url, {"seconds": 99999})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_heartbeat")
    progress = client.get(f"/api/v1/lessons/{first.pk}/progress").json()
    assert progress == body
    complete = post(client, f"/api/v1/lessons/{first.pk}/complete", {})
    assert (complete.status_code, complete.json()["code"]) == (409, "more_time_needed")
    resume = client.get(f"/api/v1/courses/{course.pk}/resume").json()
    assert resume["started"] is True and resume["video_seconds"] == 12
    assert resume["url"].endswith(f"{first.url}#continue")

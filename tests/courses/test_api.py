"""The courses part of /api/v1/ as a phone client uses it."""

import datetime
import json

import pytest

from courses import services
from courses.models import Enrolment, LessonProgress, SessionSignup
from portal.calendar.models import CalendarFeed
from tests.courses import factories as cf


@pytest.fixture
def api(client, world):
    """api(role) → a client sending the role's bearer token."""
    from wagtail.models import APIToken

    def _api(role):
        _, raw = APIToken.create_token(user=world.users[role], name="test")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return _api


def post(client, path, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def test_catalogue_filters_and_pages(world, course, api):
    cf.course_create(title="电商直播", unit=world.bureau, format="online",
                     category_slug="skills")
    client = api("supervisee")
    body = client.get("/api/v1/courses?page_size=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1
    body = client.get("/api/v1/courses?category=skills").json()
    assert [c["title"] for c in body["items"]] == ["电商直播"]
    assert body["items"][0]["enrolled"] is False
    assert client.get("/api/v1/courses?q=民法典").json()["count"] == 1
    bad = client.get("/api/v1/courses?format=teleport")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    assert client.get("/api/v1/courses?page_size=500").status_code == 422


def test_course_detail_enrol_and_progress(world, course, api):
    client = api("supervisee")
    detail = client.get(f"/api/v1/courses/{course.pk}").json()
    assert [lesson["title"] for lesson in detail["lessons"]] == ["第1课", "第2课"]
    assert detail["progress"] is None
    first = post(client, f"/api/v1/courses/{course.pk}/enrol")
    assert first.status_code == 201
    again = post(client, f"/api/v1/courses/{course.pk}/enrol")
    assert (again.status_code, again.json()["code"]) == (409, "already_enrolled")
    assert Enrolment.objects.count() == 1
    detail = client.get(f"/api/v1/courses/{course.pk}").json()
    assert detail["progress"]["percent"] == 0 and detail["enrolled"] is True


def test_lesson_quiz_through_the_api(world, course, api):
    client = api("supervisee")
    first, quiz_lesson = [c.specific for c in course.get_children().order_by("path")]
    lesson = client.get(f"/api/v1/lessons/{quiz_lesson.pk}").json()
    assert [q["id"] for q in lesson["questions"]] == [cf.Q1, cf.Q2]
    assert "correct" not in json.dumps(lesson["questions"])
    # not enrolled: 403, nothing recorded
    refused = post(client, f"/api/v1/lessons/{quiz_lesson.pk}/complete",
                   {"answers": cf.RIGHT})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_enrolled")
    post(client, f"/api/v1/courses/{course.pk}/enrol")
    bad = post(client, f"/api/v1/lessons/{quiz_lesson.pk}/complete", {"answers": {}})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_answers")
    failed = post(client, f"/api/v1/lessons/{quiz_lesson.pk}/complete",
                  {"answers": cf.HALF}).json()
    assert failed == {"completed": False, "score": 50, "passed": False,
                      "course_completed": False, "feedback": {cf.Q1: True, cf.Q2: False}}
    cf.studied(world.supervisee, first)
    post(client, f"/api/v1/lessons/{first.pk}/complete")
    done = post(client, f"/api/v1/lessons/{quiz_lesson.pk}/complete",
                {"answers": cf.RIGHT}).json()
    assert done["completed"] and done["course_completed"]
    mine = client.get("/api/v1/me/courses").json()
    assert mine["count"] == 1
    assert mine["items"][0]["progress"]["status"] == "completed"
    hours = client.get("/api/v1/me/study-hours").json()
    assert hours["done"] == 3.0 and hours["target"] == 8.0
    assert hours["entries"][0]["kind"] == "completion"


def test_sessions_sign_up_and_cancel(world, course, api):
    session = cf.session_create(course, capacity=1, online_url="https://meet.example/x")
    client = api("supervisee")
    listed = client.get(f"/api/v1/sessions?course={course.pk}").json()
    assert listed["count"] == 1 and listed["items"][0]["places_left"] == 1
    assert listed["items"][0]["online_url"] is None  # not signed up yet
    assert listed["items"][0]["starts_at"].endswith("+08:00")
    created = post(client, f"/api/v1/sessions/{session.pk}/signup")
    assert created.status_code == 201
    again = post(client, f"/api/v1/sessions/{session.pk}/signup")
    assert (again.status_code, again.json()["code"]) == (409, "already_signed_up")
    listed = client.get("/api/v1/sessions").json()["items"][0]
    assert listed["signed_up"] and listed["online_url"] == "https://meet.example/x"
    other = api("other_supervisee")
    full = post(other, f"/api/v1/sessions/{session.pk}/signup")
    assert (full.status_code, full.json()["code"]) == (409, "full")
    client = api("supervisee")
    assert client.delete(f"/api/v1/sessions/{session.pk}/signup").status_code == 204
    gone = client.delete(f"/api/v1/sessions/{session.pk}/signup")
    assert (gone.status_code, gone.json()["code"]) == (409, "not_signed_up")
    assert SessionSignup.objects.filter(status="confirmed").count() == 0


def test_deadline_passed_is_a_409(world, course, api):
    session = cf.session_create(course, deadline=None,
                                starts_in=datetime.timedelta(minutes=-1))
    refused = post(api("supervisee"), f"/api/v1/sessions/{session.pk}/signup")
    assert (refused.status_code, refused.json()["code"]) == (409, "deadline_passed")


def test_people_without_a_record_are_refused_person_actions(world, course, api):
    client = api("caseworker")
    refused = post(client, f"/api/v1/courses/{course.pk}/enrol")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_a_learner")
    assert client.get("/api/v1/me/courses").status_code == 403
    assert not Enrolment.objects.exists()


def test_study_hours_month_parameter(world, api):
    client = api("supervisee")
    assert client.get("/api/v1/me/study-hours?month=2025-02").json()["month"] == "2025-02"
    bad = client.get("/api/v1/me/study-hours?month=February")
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_month")


def test_calendar_address_through_the_api(world, api):
    client = api("supervisee")
    url = client.get("/api/v1/me/calendar").json()["url"]
    assert url == client.get("/api/v1/me/calendar").json()["url"]  # stable
    path = url.replace("http://testserver", "")
    assert client.get(path).status_code == 200
    renewed = post(client, "/api/v1/me/calendar").json()["url"]
    assert renewed != url and client.get(path).status_code == 404
    assert client.delete("/api/v1/me/calendar").status_code == 204
    assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()


def test_anonymous_gets_401_for_person_actions(world, course, client):
    response = client.post(f"/api/v1/courses/{course.pk}/enrol")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_openapi_documents_the_course_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/courses", "/api/v1/courses/{course_id}/enrol",
                 "/api/v1/lessons/{lesson_id}/complete", "/api/v1/me/courses",
                 "/api/v1/sessions", "/api/v1/sessions/{session_id}/signup",
                 "/api/v1/me/study-hours", "/api/v1/me/calendar"):
        assert path in schema["paths"], path


def test_api_course_list_query_count_is_fixed(world, api, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api("supervisee")
    cf.course_create(unit=world.bureau)
    client.get("/api/v1/courses")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/courses")
    for i in range(15):
        course = cf.course_create(title=f"课{i}", organisation=world.ngo)
        cf.session_create(course)
        services.enrolment_create(supervisee=world.supervisee, course=course)
    with django_assert_num_queries(len(few)):
        assert client.get("/api/v1/courses").json()["count"] == 16
    LessonProgress.objects.none()

"""Fuzzing the JSON API with schemathesis: every operation in /api/v1/openapi.json, called
with generated parameters and bodies by each kind of caller (a supervisee, a caseworker,
an NGO organiser, an employer, nobody), answers without a server error, with a status
code, content type and body the schema documents, and never with another person's data.

Bounded for CI: a few derandomised examples per operation (the same ones every run), plus
one call per operation with the ids of real objects of the seeded world, in one test per
caller."""

import datetime
import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from wagtail.models import APIToken

from tests.courses import factories as cf
from tests.volunteering.conftest import make_svc

EXAMPLES = 2
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# Revoking the caller's own token would turn the rest of the run into 401s; revocation is
# tested in tests/api/test_auth.py.
SKIP = {("DELETE", "/api/v1/auth/token")}

# What each caller must never find in any answer: other people's names, the juvenile's
# identity, ID numbers. Partners and employers never see legal names at all.
LEGAL_NAMES = {"李明", "王强", "赵小军"}
FORBIDDEN = {
    "supervisee": {"王强", "赵小军", '"supervisee2"', '"juvenile"'},
    "caseworker": set(),  # staff see their caseload through the portal pages, not here
    "ngo": LEGAL_NAMES,
    "enterprise": LEGAL_NAMES,
    "anonymous": LEGAL_NAMES,
}
ID_NUMBER = "410100199001011234"  # every factory-made person's


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler called in this thread, inside the test's transaction; like
    Django's test client, it must not close the connection around each request. (Django's
    test client re-connects these receivers after each of its requests: the schema is
    fetched before this fixture is set up, see `schema`.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def raw_schema(db):
    return json.loads(Client().get("/api/v1/openapi.json").content)


@pytest.fixture
def seeded(world):
    """Objects for the path parameters: an activity the supervisee and the other
    supervisee joined, a course and class, hours in the ledger, a notification."""
    from portal.notifications.services import notify
    from volunteering import services
    from volunteering.models import Signup

    svc = make_svc(world)
    past = timezone.now() - datetime.timedelta(days=2)
    done = svc.activity(starts_at=past, signup_deadline=past - datetime.timedelta(days=1))
    for person in (world.supervisee, world.other_supervisee):
        signup = Signup.objects.create(activity=done, supervisee=person, status="confirmed",
                                       confirmed_at=past)
        services.attendance_record(actor=world.users["ngo"], signup=signup,
                                   checked_in_at=past,
                                   checked_out_at=past + datetime.timedelta(hours=2))
    upcoming = svc.activity()
    joined = services.signup_create(supervisee=world.other_supervisee, activity_id=upcoming.pk)
    course = cf.course_create(unit=world.bureau, lessons=1)
    session = cf.session_create(course)
    other_notice = notify(recipient=world.other_supervisee.user, kind="test",
                          title="王强的消息", body="", url="/")
    ids = {"activity_id": upcoming.pk, "course_id": course.pk, "session_id": session.pk,
           "lesson_id": course.get_children().first().pk, "notification_id": other_notice.pk,
           "job_id": 1, "application_id": 1, "slot_id": 1, "appointment_id": 1,
           "certificate_id": 1, "person_id": world.other_supervisee.pk, "code": "NOPE",
           "signup_id": joined.signup.pk}
    return world, ids


def _schema(raw, wsgi_app):
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = wsgi_app
    return schema


def _operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in SKIP:
            yield operation


def _check(case, role, wsgi_app, headers):
    response = case.call(app=wsgi_app, headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
    text = response.text
    for word in FORBIDDEN[role]:
        assert word not in text, f"{case.method} {case.formatted_path} showed {word!r} to {role}"
    if role != "caseworker":
        assert ID_NUMBER not in text, f"{case.method} {case.formatted_path}: ID number"
    return response


@pytest.mark.parametrize("role", list(FORBIDDEN))
def test_every_operation_answers_within_its_schema(raw_schema, seeded, wsgi_app, role):
    world, ids = seeded
    user = world.users[role]
    headers = {}
    if user is not None:
        headers["Authorization"] = "Bearer " + APIToken.create_token(user=user, name="fuzz")[1]
    schema = _schema(raw_schema, wsgi_app)
    tried = 0
    for operation in _operations(schema):
        # One call with the seeded objects' ids…
        params = {p: ids[p] for p in ids if "{" + p + "}" in operation.path}
        _check(operation.Case(path_parameters=params), role, wsgi_app, headers)

        # …and a few generated ones.
        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def fuzz(case):
            _check(case, role, wsgi_app, headers)

        fuzz()
        tried += 1
    assert tried >= 40  # the whole schema was walked

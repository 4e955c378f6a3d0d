import datetime

import pytest
from django.utils import timezone

from casework.selectors import timeline
from casework.services import help_plan_save
from courses.models import Enrolment
from helpnet.models import Referral
from tests.courses import factories as cf
from volunteering.models import ServiceKind

pytestmark = pytest.mark.django_db


def _fill(world, build, person, n=1):
    cw = world.users["caseworker"]
    for i in range(n):
        course = cf.course_create(title=f"课程{i}", unit=world.bureau)
        Enrolment.objects.create(supervisee=person, course=course, status="completed",
                                 completed_at=timezone.now())
        build.study(person, 2)
        build.service(person, 3, kind=ServiceKind.VOLUNTEER_SERVICE)
        build.placement(person)
        build.referral(person, status=Referral.Status.CLOSED, consent_days_ago=3,
                       closed_at=timezone.now(), outcome="achieved")
        help_plan_save(supervisee=person, changed_by=cw, goals=f"目标{i}")


def test_timeline_gathers_every_kind_newest_first(world, build):
    person = world.supervisee
    _fill(world, build, person)
    events = timeline(person, viewer=world.users["caseworker"])
    kinds = {e.kind for e in events}
    assert {"course", "hours", "application", "placement", "plan"} <= kinds
    assert [e.when for e in events] == sorted((e.when for e in events), reverse=True)
    assert any("课程0" in e.title for e in events)


def test_timeline_filters_by_kind_and_dates(world, build, login):
    person = world.supervisee
    _fill(world, build, person)
    client = login(world.users["caseworker"])
    page = client.get(f"/casework/people/{person.pk}/?kind=plan")
    kinds = {e.kind for e, __ in page.context["events"]}
    assert kinds == {"plan"}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = client.get(f"/casework/people/{person.pk}/?date_from={tomorrow.isoformat()}")
    assert page.context["events"] == []


def test_bad_timeline_filters_are_reported_not_a_500(world, build, login):
    person = world.supervisee
    _fill(world, build, person)
    client = login(world.users["caseworker"])
    response = client.get(f"/casework/people/{person.pk}/?kind=evil&date_from=2024-13-45"
                          "&date_to=banana")
    assert response.status_code == 200
    assert response.context["filter_errors"]
    assert response.context["events"]  # the list is still shown, unfiltered


def test_timeline_query_count_does_not_grow_with_rows(world, build,
                                                      django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few, many = world.supervisee, build.person()
    _fill(world, build, few, 1)
    _fill(world, build, many, 4)
    cw = world.users["caseworker"]
    with CaptureQueriesContext(connection) as small:
        timeline(few, viewer=cw)
    with django_assert_num_queries(len(small.captured_queries)):
        events = timeline(many, viewer=cw)
    assert len(events) > 20

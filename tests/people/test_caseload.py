"""The caseload list: visibility, filters, bad filter values, pagination, query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.people.models import Supervisee
from tests import factories as f

URL = reverse("people:list")


def names(response):
    return [p.legal_name for p in response.context["page"]]


def test_caseworker_lists_only_the_people_they_may_see(world, login):
    response = login(world.users["caseworker"]).get(URL)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(["李明", "赵小军"])
    assert "王强" not in response.content.decode()


def test_unit_admin_lists_the_whole_subtree(world, login):
    response = login(world.users["unit_admin"]).get(URL)
    assert sorted(names(response)) == sorted(["李明", "王强", "赵小军"])


@pytest.mark.parametrize("role", ["supervisee", "ngo", "editor"])
def test_roles_without_records_are_refused(world, login, role):
    assert login(world.users[role]).get(URL).status_code == 403


def test_filter_by_unit_includes_units_below(world, login):
    client = login(world.users["unit_admin"])
    assert names(client.get(URL, {"unit": world.squad2.pk})) == ["王强"]
    assert len(names(client.get(URL, {"unit": world.bureau.pk}))) == 3


def test_filter_by_a_unit_the_user_cannot_see_is_reported_and_ignored(world, login):
    response = login(world.users["caseworker"]).get(URL, {"unit": world.squad2.pk})
    assert response.status_code == 200
    assert "王强" not in names(response)
    assert sorted(names(response)) == sorted(["李明", "赵小军"])
    assert response.context["filter_errors"]
    assert response.context["filter"].form.errors["unit"]


def test_filter_by_level_status_and_age_group(world, login):
    client = login(world.users["unit_admin"])
    assert names(client.get(URL, {"level": "strict"})) == ["王强"]
    assert names(client.get(URL, {"juvenile": "yes"})) == ["赵小军"]
    assert sorted(names(client.get(URL, {"juvenile": "no"}))) == sorted(["李明", "王强"])
    world.other_supervisee.status = Supervisee.Status.RELEASED
    world.other_supervisee.save()
    assert names(client.get(URL, {"status": "released"})) == ["王强"]


def test_filter_mine(world, login):
    colleague = f.caseworker_create(world.squad1)
    f.SuperviseeFactory(unit=world.squad1, caseworker=colleague, legal_name="陈东")
    client = login(world.users["caseworker"])
    assert "陈东" in names(client.get(URL))
    assert sorted(names(client.get(URL, {"mine": "on"}))) == sorted(["李明", "赵小军"])


def test_filter_term_ending_within_30_days(world, login):
    today = timezone.localdate()
    world.supervisee.term_end = today + datetime.timedelta(days=10)
    world.supervisee.save()
    f.SuperviseeFactory(unit=world.squad1, legal_name="过期",
                        term_start=today - datetime.timedelta(days=100),
                        term_end=today - datetime.timedelta(days=1))
    response = login(world.users["caseworker"]).get(URL, {"ending_soon": "on"})
    assert names(response) == ["李明"]


def test_search_by_name_or_alias(world, login):
    world.other_supervisee.alias = "小强"
    world.other_supervisee.save()
    client = login(world.users["unit_admin"])
    assert names(client.get(URL, {"q": "李"})) == ["李明"]
    assert names(client.get(URL, {"q": "小强"})) == ["王强"]
    assert names(client.get(URL, {"q": "没有这个人"})) == []


@pytest.mark.parametrize("query", [
    {"level": "nonsense"}, {"status": "x"}, {"unit": "abc"}, {"unit": "99999"},
    {"juvenile": "maybe"}, {"order": "id; DROP TABLE"}, {"page": "abc"}, {"page": "-1"},
    {"page": "99999"}, {"mine": "banana"},
])
def test_bad_filter_values_never_fail(world, login, query):
    response = login(world.users["unit_admin"]).get(URL, query)
    assert response.status_code == 200
    assert len(names(response)) >= 1


def test_bad_filter_value_shows_a_message_and_other_filters_still_apply(world, login):
    response = login(world.users["unit_admin"]).get(URL, {"level": "nonsense", "juvenile": "yes"})
    assert names(response) == ["赵小军"]
    assert response.context["filter_errors"]
    assert list(response.context["filter"].form.errors) == ["level"]
    assert 'role="alert"' in response.content.decode()


def test_valid_filters_show_no_warning(world, login):
    response = login(world.users["unit_admin"]).get(URL, {"level": "strict", "mine": "on"})
    assert not response.context["filter_errors"]
    assert 'role="alert"' not in response.content.decode()


def test_pagination_keeps_the_filters(world, login):
    for i in range(30):
        f.SuperviseeFactory(unit=world.squad2, legal_name=f"王{i:02d}", level="strict")
    client = login(world.users["unit_admin"])
    first = client.get(URL, {"level": "strict"})
    assert first.context["page"].paginator.count == 31
    assert len(names(first)) == 25
    assert "level=strict" in first.content.decode().split('rel="next"')[0].rsplit("href", 1)[1]
    second = client.get(URL, {"level": "strict", "page": 2})
    assert len(names(second)) == 6
    assert not set(names(first)) & set(names(second))


def _queries_for(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("role", ["caseworker", "unit_admin"])
def test_query_count_does_not_grow_with_rows(world, login, role, django_assert_num_queries):
    other = f.caseworker_create(world.squad1)
    client = login(world.users[role])
    client.get(URL)  # warm-up: caches that fill once per process
    count, response = _queries_for(client)
    assert len(names(response)) == (3 if role == "unit_admin" else 2)
    for i in range(60):
        f.SuperviseeFactory(unit=world.squad1 if i % 2 else world.squad2,
                            caseworker=world.users["caseworker"] if i % 3 else other,
                            home_district=f.DistrictFactory(), legal_name=f"批量{i}")
    with django_assert_num_queries(count):
        response = client.get(URL)
    assert len(names(response)) == 25

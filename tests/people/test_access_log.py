"""The access log pages: per person (staff who see the record) and per unit (admins)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AccessLogEntry
from portal.organisations.models import Membership
from tests import factories as f

UNIT_LOG = reverse("people:unit_access_log")


def person_log(s):
    return reverse("people:access_log", args=[s.pk])


def test_person_log_lists_reads_and_logs_itself(world, login):
    client = login(world.users["caseworker"])
    client.get(reverse("people:detail", args=[world.supervisee.pk]))
    response = client.get(person_log(world.supervisee))
    assert response.status_code == 200
    entries = list(response.context["page"])
    assert len(entries) == 2  # the detail read and this very read
    assert {e.actor for e in entries} == {world.users["caseworker"]}


def test_person_log_of_invisible_record_is_404(world, login):
    assert login(world.users["caseworker"]).get(person_log(world.other_supervisee)
                                                ).status_code == 404


def test_log_pages_are_read_only(world, login):
    client = login(world.users["unit_admin"])
    assert client.post(UNIT_LOG).status_code == 405
    assert client.post(person_log(world.supervisee)).status_code == 405


def _some_reads(world, login):
    login(world.users["caseworker"]).get(reverse("people:detail", args=[world.supervisee.pk]))
    login(world.users["other_caseworker"]).get(
        reverse("people:detail", args=[world.other_supervisee.pk]))


def entries(response):
    return [(e.actor.username, e.supervisee and e.supervisee.legal_name)
            for e in response.context["page"]]


def test_unit_log_shows_the_admins_units(world, login):
    _some_reads(world, login)
    admin2 = f.caseworker_create(world.squad2, role=Membership.Role.UNIT_ADMIN,
                                 username="admin2")
    got = entries(login(world.users["unit_admin"]).get(UNIT_LOG))
    assert ("caseworker", "李明") in got and ("caseworker2", "王强") in got
    got = entries(login(admin2).get(UNIT_LOG))
    assert ("caseworker2", "王强") in got
    assert ("caseworker", "李明") not in got
    assert ("unitadmin", None) not in got  # another administrator's read of the log


@pytest.mark.parametrize("role", ["caseworker", "other_caseworker", "ngo", "editor",
                                  "supervisee"])
def test_unit_log_refused_to_everyone_but_admins(world, login, role):
    assert login(world.users[role]).get(UNIT_LOG).status_code == 403


def test_unit_log_filters_by_person_staff_and_date(world, login):
    _some_reads(world, login)
    client = login(world.users["unit_admin"])
    assert {e[1] for e in entries(client.get(UNIT_LOG, {"person": "王"}))} == {"王强"}
    by_staff = entries(client.get(UNIT_LOG, {"staff": world.users["caseworker"].pk}))
    assert by_staff == [("caseworker", "李明")]
    today = timezone.localdate()
    assert entries(client.get(UNIT_LOG, {"date_to": str(today - datetime.timedelta(days=1))})
                   ) == []
    AccessLogEntry.objects.create(actor=world.users["caseworker"], supervisee=world.supervisee,
                                  action="view", what="old",
                                  at=timezone.now() - datetime.timedelta(days=10))
    old = client.get(UNIT_LOG, {"date_to": str(today - datetime.timedelta(days=1))})
    assert entries(old) == [("caseworker", "李明")]
    assert len(entries(client.get(UNIT_LOG, {"date_from": str(today)}))) >= 2


@pytest.mark.parametrize("query", [{"date_from": "2024-13-45"}, {"staff": "abc"},
                                   {"staff": "99999"}, {"page": "x"}])
def test_unit_log_bad_filters_are_reported_not_fatal(world, login, query):
    _some_reads(world, login)
    response = login(world.users["unit_admin"]).get(UNIT_LOG, query)
    assert response.status_code == 200
    assert len(entries(response)) >= 2
    if "page" not in query:
        assert response.context["filter_errors"]


def test_unit_log_staff_choices_are_the_admins_staff(world, login):
    form = login(world.users["unit_admin"]).get(UNIT_LOG).context["filter"].form
    staff = set(form.fields["staff"].queryset)
    assert world.users["caseworker"] in staff and world.users["other_caseworker"] in staff
    assert world.users["ngo"] not in staff


def test_reading_the_unit_log_is_logged(world, login):
    login(world.users["unit_admin"]).get(UNIT_LOG)
    entry = AccessLogEntry.objects.get()
    assert entry.actor == world.users["unit_admin"] and entry.action == "list"
    assert entry.supervisee is None


def test_unit_log_query_count_is_fixed(world, login, django_assert_num_queries):
    client = login(world.users["unit_admin"])
    client.get(UNIT_LOG)
    with CaptureQueriesContext(connection) as ctx:
        client.get(UNIT_LOG)
    for _ in range(30):
        AccessLogEntry.objects.create(actor=f.caseworker_create(world.squad1),
                                      supervisee=world.supervisee, action="view", what="x")
    with django_assert_num_queries(len(ctx.captured_queries)):
        response = client.get(UNIT_LOG)
    assert len(entries(response)) == 33  # 30 reads, and three reads of the log itself

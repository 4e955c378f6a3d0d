import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.services import help_plan_save
from helpnet.models import Referral
from portal.audit.models import AccessLogEntry
from tests.i18n import zh
from volunteering.models import Certificate, ServiceKind

pytestmark = pytest.mark.django_db


def _on_track(build, person):
    build.study(person, 20)
    build.service(person, 20)


def test_caseload_filters_behind_and_open_referrals(world, build, login):
    behind = world.supervisee  # nothing recorded this month
    ahead = build.person(legal_name="赵达标")
    _on_track(build, ahead)
    build.referral(ahead, status=Referral.Status.ACCEPTED, consent_days_ago=1)
    client = login(world.users["caseworker"])
    names = [p.legal_name for p in client.get("/people/?behind=on").context["page"]]
    assert behind.legal_name in names and "赵达标" not in names
    names = [p.legal_name for p in client.get("/people/?open_referrals=on").context["page"]]
    assert names == ["赵达标"]
    page = client.get("/people/").content.decode()
    assert "赵达标" in page


def test_hours_waiting_for_confirmation_keep_a_person_off_the_behind_list(world, build,
                                                                          login):
    """Behind sets what is done (confirmed or waiting) against the share due by today
    (docs/domain.md rule 8); only confirmed hours count toward the target itself."""
    person = build.person(legal_name="钱未确认")
    build.study(person, 20)
    build.service(person, 20, confirmed=False)
    volunteer = build.person(legal_name="孙志愿")
    build.study(volunteer, 20)
    build.service(volunteer, 24, kind=ServiceKind.VOLUNTEER_SERVICE)
    client = login(world.users["caseworker"])
    names = [p.legal_name for p in client.get("/people/?behind=on").context["page"]]
    assert "钱未确认" not in names
    assert "孙志愿" in names  # volunteer service does not count
    standing = client.get(f"/casework/people/{person.pk}/").context["standing"]
    assert standing.service_month == 0 and standing.service_waiting == 20


def test_nonsense_caseload_filters_are_reported_not_a_500(world, login):
    client = login(world.users["caseworker"])
    response = client.get("/people/?behind=banana&open_referrals=maybe")
    assert response.status_code == 200
    assert response.context["filter_errors"]


def test_today_lists_behind_unconfirmed_overdue_and_releases(world, build, login):
    cw = world.users["caseworker"]
    _on_track(build, world.supervisee)
    late = build.person(legal_name="孙滞后")
    old = timezone.now() - datetime.timedelta(days=10)
    build.service(late, 2, confirmed=False, recorded_at=old,
                  day=timezone.localdate() - datetime.timedelta(days=10))
    build.service(late, 1, confirmed=False)  # recorded today: not yet a week
    overdue = build.referral(late, consent_days_ago=30)
    build.referral(late, consent_days_ago=1)  # not overdue yet
    leaving = build.person(legal_name="周将解矫",
                           term_end=timezone.localdate() + datetime.timedelta(days=10))
    _on_track(build, leaving)
    build.service(leaving, 6, kind=ServiceKind.VOLUNTEER_SERVICE)
    help_plan_save(supervisee=late, changed_by=cw, goals="目标",
                   review_on=timezone.localdate() - datetime.timedelta(days=1))
    help_plan_save(supervisee=leaving, changed_by=cw, goals="目标",
                   review_on=timezone.localdate() + datetime.timedelta(days=30))
    client = login(cw)
    context = client.get("/casework/today/").context
    assert [plan.legal_name for plan in context["reviews"]] == ["孙滞后"]
    assert "孙滞后" in [p.legal_name for p in context["behind"]]
    assert world.supervisee.pk not in [p.pk for p in context["behind"]]
    assert [e.legal_name for e in context["unconfirmed"]] == ["孙滞后"]
    assert [r.pk for r in context["overdue"]] == [overdue.pk]
    releasing = {p.legal_name: p for p in context["releasing"]}
    assert releasing["周将解矫"].certificate_to_issue
    Certificate.objects.create(
        supervisee=leaving, serial="S1", code="c1",
        holder_name=leaving.legal_name, hours=6, period_start=timezone.localdate(),
        period_end=timezone.localdate(), service_content="环境清洁", issued_by=cw)
    context = client.get("/casework/today/").context
    assert not {p.legal_name: p for p in context["releasing"]}["周将解矫"].certificate_to_issue


def test_today_does_not_show_other_squads_people(world, build, login):
    build.service(world.other_supervisee, 2, confirmed=False,
                  recorded_at=timezone.now() - datetime.timedelta(days=10))
    build.referral(world.other_supervisee, consent_days_ago=30)
    context = login(world.users["caseworker"]).get("/casework/today/").context
    assert world.other_supervisee.pk not in [p.pk for p in context["behind"]]
    assert not context["unconfirmed"] and not context["overdue"]


def test_today_mine_nonsense_is_a_notice(world, login):
    response = login(world.users["caseworker"]).get("/casework/today/?mine=banana")
    assert response.status_code == 200
    assert any(zh("The value of “only mine” was not understood and was ignored.") == str(m) for m in response.context["messages"])


def test_csv_exports_are_logged_and_hold_the_rows(world, build, login):
    client = login(world.users["caseworker"])
    response = client.get("/casework/caseload.csv?behind=on")
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert world.supervisee.legal_name in body
    assert world.other_supervisee.legal_name not in body
    response = client.get("/casework/today.csv")
    assert world.supervisee.legal_name in response.content.decode("utf-8-sig")
    assert AccessLogEntry.objects.filter(actor=world.users["caseworker"],
                                         action="export").count() == 2


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _crowd(build, n):
    for i in range(n):
        p = build.person(term_end=timezone.localdate() + datetime.timedelta(days=5 + i))
        build.service(p, 1, confirmed=False,
                      recorded_at=timezone.now() - datetime.timedelta(days=9))
        build.service(p, 1, kind=ServiceKind.VOLUNTEER_SERVICE)
        build.referral(p, consent_days_ago=20)
        build.study(p, 1)
        help_plan_save(supervisee=p, changed_by=build.caseworker, goals="目标",
                       review_on=timezone.localdate() - datetime.timedelta(days=2))


def test_caseload_and_today_query_counts_do_not_grow_with_rows(world, build, login,
                                                               django_assert_num_queries):
    client = login(world.users["caseworker"])
    _crowd(build, 2)
    client.get("/casework/today/")  # warm the per-process caches (site root, settings)
    caseload = _queries(client, "/people/?behind=on&open_referrals=on")
    today = _queries(client, "/casework/today/")
    _crowd(build, 12)
    with django_assert_num_queries(caseload):
        client.get("/people/?behind=on&open_referrals=on")
    with django_assert_num_queries(today):
        response = client.get("/casework/today/")
    assert len(response.context["releasing"]) >= 14
    assert len(response.context["reviews"]) >= 14

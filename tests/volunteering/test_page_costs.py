"""The shortcuts behind the activity list, the person's page and the organiser's page
show the same as the long way round."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.people.models import ProhibitionOrder, TravelApproval
from tests import factories as f
from tests.api.conftest import Api
from volunteering import selectors, services
from volunteering.models import HoursEntry, ServiceKind, Signup, Theme

from .test_ledger import attended


@pytest.fixture
def api(client):
    return Api(client)


def test_person_for_knows_empty_orders_and_approvals_without_asking(svc):
    user = svc.world.supervisee.user
    person = selectors.person_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert list(person.prohibitions.all()) == []
        assert list(person.travel_approvals.all()) == []
        assert person.user is user
    assert len(ctx) == 0


def test_person_for_still_reads_orders_and_approvals(svc):
    person = svc.world.supervisee
    bar = f.VenueTypeFactory(code="bar", name="酒吧")
    order = ProhibitionOrder.objects.create(supervisee=person, kind="venue_type",
                                            venue_type=bar, description="x",
                                            starts_on=timezone.localdate())
    approval = TravelApproval.objects.create(
        supervisee=person, starts_on=timezone.localdate(), destination=svc.district,
        reason="探亲", approved_by=svc.world.users["caseworker"])
    found = selectors.person_for(person.user)
    assert list(found.prohibitions.all()) == [order]
    assert list(found.travel_approvals.all()) == [approval]


def test_activity_list_marks_my_signup_and_counts_without_a_count(svc, login):
    mine = svc.activity(title="我报名的活动")
    svc.activity(title="别的活动", starts_at=timezone.now() + datetime.timedelta(days=5))
    services.signup_create(supervisee=svc.world.supervisee, activity_id=mine.pk)
    client = login(svc.world.supervisee.user)
    response = client.get("/service/")
    html = response.content.decode()
    assert response.context["page"].paginator.count == 2
    assert html.count("svc-mine") == 1
    assert html.index("我报名的活动") < html.index("svc-mine") < html.index("别的活动")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/service/")
    # No statement of its own for the count (the page's statement carries it, as a window).
    assert not any(q["sql"].startswith("SELECT COUNT(") for q in ctx.captured_queries)
    # The page's activities, and the open public-welfare activities of this month's target.
    assert sum('FROM "volunteering_activity"' in q["sql"] for q in ctx.captured_queries) == 2


def test_activity_list_pages_past_the_first_still_count(svc, login):
    for i in range(21):
        svc.activity(title=f"活动{i:02d}", starts_at=timezone.now()
                     + datetime.timedelta(days=3, hours=i))
    client = login(svc.world.supervisee.user)
    first = client.get("/service/")
    assert first.context["page"].paginator.count == 21
    assert first.context["page"].paginator.num_pages == 2
    second = client.get("/service/?page=2")
    assert [a["title"] for a in second.context["page"]] == ["活动20"]


def test_api_activity_count_from_a_short_page_and_past_the_end(svc, api):
    svc.activity(title="一")
    svc.activity(title="二", starts_at=timezone.now() + datetime.timedelta(days=4))
    api.sign_in("supervisee")
    assert api.get("/activities").json()["count"] == 2
    assert api.get("/activities?page_size=1&page=2").json()["count"] == 2
    past = api.get("/activities?page_size=1&page=3").json()
    assert past == {"items": [], "count": 2}


def test_cached_filter_form_shows_a_new_theme(svc, login):
    client = login(svc.world.supervisee.user)
    assert "植树" not in client.get("/service/").content.decode()
    Theme.objects.create(code="trees", name="植树")
    assert "植树" in client.get("/service/").content.decode()
    # A filtered list renders its own form, with the choice selected.
    html = client.get("/service/?theme=trees").content.decode()
    assert 'value="trees" selected' in html


def test_hours_page_equals_the_table_and_the_totals(svc):
    person = svc.world.supervisee
    caseworker = svc.world.users["caseworker"]
    attended(svc, person, hours="2", days_ago=0.2, kind=ServiceKind.PUBLIC_WELFARE,
             organisation=None, unit=svc.world.squad1, created_by=caseworker)
    attended(svc, person, hours="3", days_ago=40, title="志愿活动")
    ids = list(selectors.hours_to_confirm(caseworker).values_list("pk", flat=True))
    services.hours_confirm(actor=caseworker, entry_ids=ids[:1])
    today = HoursEntry.objects.get(kind=ServiceKind.PUBLIC_WELFARE).service_date
    table, totals = selectors.hours_page(person, today=today)
    assert table == selectors.hours_table(person)
    assert totals == selectors.hours_totals(person, today=today)
    assert totals["volunteer_service"] == Decimal("3")


def test_my_page_signups_equal_the_two_lists(svc):
    person = svc.world.supervisee
    attended(svc, person, hours="2", days_ago=3, title="做过的活动")
    coming = svc.activity(title="将来的活动", capacity=1)
    services.signup_create(supervisee=svc.world.other_supervisee, activity_id=coming.pk)
    services.signup_create(supervisee=person, activity_id=coming.pk)  # waiting list
    upcoming, history = selectors.my_page_signups(person)
    expected_up = selectors.my_signups(person, upcoming_only=True)
    assert [(s.pk, s.position) for s in upcoming] == [(s.pk, s.position) for s in expected_up]
    assert upcoming[0].position == 1
    expected_history = [s for s in selectors.my_signups(person)
                        if s.status == Signup.Status.CONFIRMED
                        and s.activity.starts_at <= timezone.now()][:30]
    assert [(s.pk, s.credited) for s in history] == \
        [(s.pk, s.credited) for s in expected_history]
    assert history[0].credited == Decimal("2")


def test_organiser_roster_shows_the_pending_correction(svc, login):
    activity, person, signup = attended(svc, hours="2")
    request = services.correction_request_create(supervisee=person, signup=signup, hours="3",
                                                 reason="我八点就到了")
    roster = selectors.activity_roster(activity)
    shown = roster["confirmed"][0].pending_correction
    assert (shown.pk, shown.hours, shown.reason) == (request.pk, Decimal("3"), "我八点就到了")
    client = login(svc.world.users["ngo"])
    html = client.get(f"/service/activities/{activity.pk}/manage/").content.decode()
    assert "我八点就到了" in html and f"corrections/{request.pk}/" in html


def test_my_page_figures_equal_target_settings_and_consents(svc):
    from portal.people.models import Consent, LevelTarget
    from portal.people.selectors import current_consents, target_for

    person = svc.world.supervisee
    svc.consent(person, Consent.Kind.CERTIFICATE, granted=True)
    svc.consent(person, Consent.Kind.VOLUNTEER_EXPORT, granted=True)
    svc.consent(person, Consent.Kind.VOLUNTEER_EXPORT, granted=False)  # the latest wins
    figures = selectors.my_page_figures(person)
    consents = current_consents(person)
    assert figures["consent_certificate"] is consents[Consent.Kind.CERTIFICATE] is True
    assert figures["consent_export"] is consents[Consent.Kind.VOLUNTEER_EXPORT] is False
    assert figures["target"].pk == target_for(person).pk
    assert figures["target"].service_hours == target_for(person).service_hours
    assert figures["certificate_minimum"] == \
        selectors.service_settings().certificate_min_hours
    LevelTarget.objects.filter(level=person.level).delete()
    assert selectors.my_page_figures(person)["target"] is None


def test_my_page_signups_past_the_first_read_still_list_everything_coming(svc, monkeypatch):
    person = svc.world.supervisee
    attended(svc, person, hours="2", days_ago=3, title="做过的活动")
    for days in (4, 5):
        coming = svc.activity(title=f"将来的活动{days}",
                              starts_at=timezone.now() + datetime.timedelta(days=days))
        services.signup_create(supervisee=person, activity_id=coming.pk)
    monkeypatch.setattr(selectors, "MY_PAGE_SIGNUPS", 2)  # more sign-ups than one read holds
    upcoming, history = selectors.my_page_signups(person)
    expected = selectors.my_signups(person, upcoming_only=True)
    assert [(s.pk, s.activity.title, s.activity.district.name) for s in upcoming] == [
        (s.pk, s.activity.title, s.activity.district.name) for s in expected]
    assert len(upcoming) == 2

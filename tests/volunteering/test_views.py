"""The pages: browsing with filters, signing up and cancelling, the organiser's form and
activity page, the person's page; refusals are messages and change nothing; list pages run
a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from portal.people.models import ProhibitionOrder
from tests import factories as f
from volunteering import services
from volunteering.models import Activity, Signup, Theme

from .test_ledger import attended


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def titles(response):
    return [a["title"] for a in response.context["page"].object_list]


def test_filters_theme_kind_district_skills_places_and_dates(svc, login):
    patrol = Theme.objects.get_or_create(code="patrol", defaults={"name": "巡逻"})[0]
    other_town = f.DistrictFactory(code="town-b", name="河东镇")
    first_aid = f.SkillFactory(code="first-aid", name="急救")
    soon = timezone.now() + datetime.timedelta(days=2)
    svc.activity(title="清洁", starts_at=soon)
    svc.activity(title="巡逻", theme=patrol, starts_at=soon + datetime.timedelta(days=10))
    svc.activity(title="河东", district=other_town, skills=[first_aid], starts_at=soon)
    full = svc.activity(title="满员", capacity=1, starts_at=soon)
    full.places_taken = 1
    full.save()
    client = login(svc.world.users["supervisee"])
    assert set(titles(client.get("/service/"))) == {"清洁", "巡逻", "河东", "满员"}
    assert titles(client.get("/service/", {"theme": "patrol"})) == ["巡逻"]
    assert titles(client.get("/service/", {"district": "town-b"})) == ["河东"]
    assert titles(client.get("/service/", {"skills": "first-aid"})) == ["河东"]
    assert "满员" not in titles(client.get("/service/", {"places_left": "on"}))
    later = (soon + datetime.timedelta(days=5)).date().isoformat()
    assert titles(client.get("/service/", {"date_from": later})) == ["巡逻"]
    assert "巡逻" not in titles(client.get("/service/", {"date_to": later}))
    assert titles(client.get("/service/", {"kind": "public_welfare"})) == []


def test_bad_filter_values_are_ignored_not_an_error(svc, login):
    svc.activity()
    response = login(svc.world.users["supervisee"]).get(
        "/service/", {"theme": "nonsense", "date_from": "2025-13-45"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_excluded_activity_is_neither_listed_nor_opened_nor_joinable(svc, login):
    bar = f.VenueTypeFactory(code="ktv", name="歌舞厅")
    activity = svc.activity(title="歌舞厅普法", venue_type=bar)
    person = svc.world.supervisee
    ProhibitionOrder.objects.create(supervisee=person, kind="venue_type", venue_type=bar,
                                    description="禁止进入娱乐场所",
                                    starts_on=timezone.localdate())
    client = login(person.user)
    assert "歌舞厅普法" not in titles(client.get("/service/"))
    assert client.get(f"/service/activities/{activity.pk}/").status_code == 404
    assert client.post(f"/service/activities/{activity.pk}/signup/").status_code == 404
    assert not Signup.objects.exists()


def test_sign_up_then_second_signup_gives_a_message_and_changes_nothing(svc, login):
    activity = svc.activity(capacity=1)
    client = login(svc.world.users["supervisee"])
    url = f"/service/activities/{activity.pk}/signup/"
    response = client.post(url)
    assert response.status_code == 302
    assert Signup.objects.get().status == "confirmed"
    response = client.post(url, follow=True)
    assert any("already signed up" in m or "已" in m for m in messages_of(response))
    assert Signup.objects.count() == 1
    # The next person waits, and is told their position.
    response = login(svc.world.users["other_supervisee"]).post(url, follow=True)
    assert any("1" in m for m in messages_of(response))
    assert Signup.objects.filter(status="waitlisted").count() == 1


def test_past_deadline_on_the_page(svc, login):
    now = timezone.now()
    activity = svc.activity(starts_at=now + datetime.timedelta(hours=5),
                            signup_deadline=now - datetime.timedelta(minutes=1))
    client = login(svc.world.users["supervisee"])
    response = client.get(f"/service/activities/{activity.pk}/")
    assert response.status_code == 200 and not response.context["can_sign_up"]
    response = client.post(f"/service/activities/{activity.pk}/signup/", follow=True)
    assert messages_of(response)
    assert not Signup.objects.exists()


def test_cancel_on_the_page(svc, login):
    activity = svc.activity()
    person = svc.world.supervisee
    services.signup_create(supervisee=person, activity_id=activity.pk)
    client = login(person.user)
    client.post(f"/service/activities/{activity.pk}/signup/cancel/")
    assert Signup.objects.get().status == "cancelled"


def test_partner_posts_volunteer_service_only(svc, login):
    client = login(svc.world.users["ngo"])
    starts = timezone.localtime() + datetime.timedelta(days=7)
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "organiser": f"org:{svc.world.ngo.pk}", "title": "河道清洁", "theme": svc.theme.pk,
        "kind": "public_welfare", "place": "河道", "district": svc.district.pk,
        "starts_at": starts.strftime(fmt),
        "ends_at": (starts + datetime.timedelta(hours=2)).strftime(fmt),
        "signup_deadline": (starts - datetime.timedelta(days=1)).strftime(fmt),
        "capacity": "10", "waitlist_limit": "5", "hours": "2",
    }
    response = client.post("/service/activities/new/", data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Activity.objects.exists()
    # The form offers a partner neither public welfare nor "for juveniles"; a crafted
    # value for the latter is ignored.
    response = client.post("/service/activities/new/",
                           {**data, "kind": "volunteer_service", "suitable_for_juveniles": "on"})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.status == "draft" and activity.organisation == svc.world.ngo
    assert not activity.suitable_for_juveniles
    client.post(f"/service/activities/{activity.pk}/publish/")
    activity.refresh_from_db()
    assert activity.status == "published"


def test_partner_cannot_post_for_another_organisation(svc, login):
    client = login(svc.world.users["ngo"])
    response = client.post("/service/activities/new/", {"organiser": f"org:{svc.team.pk}"})
    assert "organiser" in response.context["form"].errors


def test_end_before_start_is_a_form_error(svc, login):
    client = login(svc.world.users["caseworker"])
    starts = timezone.localtime() + datetime.timedelta(days=7)
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post("/service/activities/new/", {
        "organiser": f"unit:{svc.world.squad1.pk}", "title": "巡逻", "theme": svc.theme.pk,
        "kind": "public_welfare", "place": "街道", "district": svc.district.pk,
        "starts_at": starts.strftime(fmt),
        "ends_at": (starts - datetime.timedelta(hours=2)).strftime(fmt),
        "signup_deadline": (starts - datetime.timedelta(days=1)).strftime(fmt),
        "capacity": "10", "waitlist_limit": "0", "hours": "2",
    })
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_organiser_sees_display_names_only(svc, login):
    person = svc.person(legal_name="欧阳明辉", alias="小欧")
    masked = svc.person(legal_name="司马光明")
    activity = svc.activity(capacity=1)
    services.signup_create(supervisee=person, activity_id=activity.pk)
    services.signup_create(supervisee=masked, activity_id=activity.pk)
    html = login(svc.world.users["ngo"]).get(
        f"/service/activities/{activity.pk}/manage/").content.decode()
    assert "小欧" in html and "司***" in html
    for never in ("欧阳明辉", "司马光明", "矫正", person.id_number, svc.world.squad1.name):
        assert never not in html


def test_juvenile_is_never_named_to_an_organiser(svc, login):
    activity = svc.activity(unit=svc.world.bureau, suitable_for_juveniles=True,
                            created_by=svc.world.users["unit_admin"])
    services.signup_create(supervisee=svc.world.juvenile, activity_id=activity.pk)
    html = login(svc.world.users["unit_admin"]).get(
        f"/service/activities/{activity.pk}/manage/").content.decode()
    assert svc.world.juvenile.legal_name not in html
    assert svc.world.juvenile.legal_name[0] + "*" not in html


def test_person_page_shows_sign_ups_hours_and_progress(svc, login):
    person = svc.world.supervisee
    upcoming = svc.activity(title="下周巡逻")
    services.signup_create(supervisee=person, activity_id=upcoming.pk)
    attended(svc, person, hours="2.5", title="上周清洁")
    response = login(person.user).get("/service/me/")
    html = response.content.decode()
    assert "下周巡逻" in html and "上周清洁" in html
    assert response.context["totals"]["volunteer_service"] == Decimal("2.5")


def test_person_cannot_report_a_correction_on_someone_elses_signup(svc, login):
    _a, _p, signup = attended(svc)
    response = login(svc.world.users["supervisee"]).post(
        f"/service/me/signups/{signup.pk}/correction/", {"hours": "5", "reason": "x"})
    assert response.status_code == 404


def test_correction_report_form(svc, login):
    _a, person, signup = attended(svc, svc.world.supervisee, hours="2")
    client = login(person.user)
    url = f"/service/me/signups/{signup.pk}/correction/"
    response = client.post(url, {"hours": "2", "reason": "一样"})
    assert response.status_code == 200 and response.context["form"].errors  # unchanged
    response = client.post(url, {"hours": "3", "reason": "提前到达"})
    assert response.status_code == 302
    assert signup.correction_requests.get().hours == Decimal("3")


# --- Query counts ------------------------------------------------------------------------------

def _populate(svc, n, *, person, organiser_activity=None, offset=0):
    skill = f.SkillFactory(code="talk", name="沟通")
    for i in range(offset, offset + n):
        activity = svc.activity(title=f"活动{i}", capacity=3, skills=[skill],
                                starts_at=timezone.now() + datetime.timedelta(days=2, hours=4 * i))
        if person is not None:
            services.signup_create(supervisee=person, activity_id=activity.pk)
            attended(svc, person, hours="1", days_ago=3 + i * 20, title=f"往期{i}")
        if organiser_activity is not None:
            p = svc.person()
            services.signup_create(supervisee=p, activity_id=organiser_activity.pk)


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up: settings rows made on first use, session touched
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _same_count(django_assert_num_queries, client, url, few: int):
    client.get(url)
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/service/", "/service/me/"])
def test_person_pages_run_a_fixed_number_of_queries(svc, login, url,
                                                    django_assert_num_queries):
    person = svc.world.supervisee
    client = login(person.user)
    _populate(svc, 2, person=person)
    few = _count(client, url)
    _populate(svc, 6, person=person, offset=2)
    _same_count(django_assert_num_queries, client, url, few)


def test_organiser_activity_page_runs_a_fixed_number_of_queries(svc, login,
                                                               django_assert_num_queries):
    activity = svc.activity(capacity=3, waitlist_limit=50)
    client = login(svc.world.users["ngo"])
    url = f"/service/activities/{activity.pk}/manage/"
    _populate(svc, 2, person=None, organiser_activity=activity)
    few = _count(client, url)
    _populate(svc, 8, person=None, organiser_activity=activity, offset=2)
    _same_count(django_assert_num_queries, client, url, few)


def test_organiser_overview_runs_a_fixed_number_of_queries(svc, login,
                                                          django_assert_num_queries):
    client = login(svc.world.users["ngo"])
    _populate(svc, 2, person=None)
    few = _count(client, "/service/organiser/")
    _populate(svc, 7, person=None, offset=2)
    _same_count(django_assert_num_queries, client, "/service/organiser/", few)


def test_person_page_lists_certificates_and_correction_reports_only_when_there_are(svc, login):
    from .test_certificates import with_hours

    person = with_hours(svc)
    svc.consent(person)
    client = login(person.user)
    response = client.get("/service/me/")
    assert list(response.context["certificates"]) == []
    assert list(response.context["corrections"]) == []
    certificate = services.certificates_request(supervisee=person)
    signup = Signup.objects.filter(supervisee=person).first()
    services.correction_request_create(supervisee=person, signup=signup, hours="4",
                                       reason="提前到场")
    response = client.get("/service/me/")
    html = response.content.decode()
    assert certificate.serial in html
    assert [c.pk for c in response.context["certificates"]] == [certificate.pk]
    assert [c.reason for c in response.context["corrections"]] == ["提前到场"]

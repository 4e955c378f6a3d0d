"""What leaves the portal about a person's service never says they are under correction
(docs/domain.md rules 2-4): the volunteer-service record's PDF, its public verification
page and API, and every calendar entry (.ics feed and download) carry no corrections word
and no corrections body's name, whoever organised the activity (a unit naming its
recording partner, or a partner), for adults and juveniles alike."""

import datetime

import pytest
from django.utils import timezone

from portal.calendar.services import feed_create, feed_path
from portal.neutral import CORRECTIONS_WORDS, neutral_text
from portal.organisations.models import Unit
from volunteering import services
from volunteering.models import Activity, ServiceKind, Signup

from .pdftext import pdf_text
from .test_certificates import minimum
from .test_ledger import attended

# What a squad might well write about its own activity.
LOADED = {"title": "社区矫正中心周边志愿服务（缓刑、假释人员）",
          "place": "社区矫正中心二楼活动室",
          "description": "第一中队组织，严管、普管、宽管人员均可参加；管制、监外执行人员需报备。"}


def forbidden():
    return list(CORRECTIONS_WORDS) + list(Unit.objects.values_list("name", flat=True))


def assert_neutral(text: str, where: str):
    for word in forbidden():
        assert word not in text, f"{where}: {word!r}"


def _case(svc, organiser: str, juvenile: bool):
    minimum("1")
    person = svc.world.juvenile if juvenile else svc.person(legal_name="周志远")
    if organiser == "unit":
        kwargs = {"organisation": None, "unit": svc.world.squad1,
                  "recording_organisation": svc.team,
                  "created_by": svc.world.users["caseworker"],
                  "suitable_for_juveniles": juvenile}
    else:
        kwargs = {}
    attended(svc, person, hours="3", days_ago=3, **LOADED, **kwargs)
    # A public-welfare activity of the squad too: never on a record, but in the calendar.
    attended(svc, person, hours="2", days_ago=2, kind=ServiceKind.PUBLIC_WELFARE,
             organisation=None, unit=svc.world.squad1, suitable_for_juveniles=juvenile,
             created_by=svc.world.users["caseworker"], title="中队公益劳动：社区矫正中心周边保洁",
             place="社区矫正第一中队门前")
    svc.consent(person)
    return person, services.certificates_request(supervisee=person)


CASES = [("unit", False), ("partner", False), ("unit", True)]


@pytest.mark.parametrize(("organiser", "juvenile"), CASES)
def test_record_pdf_and_verification_never_disclose(svc, login, client, organiser, juvenile):
    person, certificate = _case(svc, organiser, juvenile)
    certifiers = [line.organisation for line in certificate.lines.all()]
    assert certifiers == [svc.team if organiser == "unit" else svc.world.ngo]
    assert_neutral(f"{certificate.service_content} {certificate.holder_name}", "record")
    pdf = login(person.user).get(f"/service/certificates/{certificate.pk}/certificate.pdf")
    text = pdf_text(pdf.content)
    assert certifiers[0].name in text
    assert_neutral(text, "PDF")
    html = client.get(f"/verify/{certificate.code}/").content.decode()
    assert certifiers[0].name in html
    assert_neutral(html, "verification page")
    api = client.get(f"/api/v1/certificates/verify/{certificate.code}")
    assert api.status_code == 200
    assert_neutral(api.content.decode(), "verification API")
    assert_neutral(api.content.decode("unicode_escape"), "verification API (escaped)")


@pytest.mark.parametrize(("organiser", "juvenile"), CASES)
def test_calendar_feed_and_download_never_disclose(svc, client, organiser, juvenile):
    person, _certificate = _case(svc, organiser, juvenile)
    # And one coming up, organised the same way.
    starts = timezone.now() + datetime.timedelta(days=4)
    extra = ({"organisation": None, "unit": svc.world.squad1,
              "recording_organisation": svc.team, "created_by": svc.world.users["caseworker"],
              "suitable_for_juveniles": juvenile} if organiser == "unit" else {})
    upcoming = svc.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(hours=2),
                            **{**LOADED, "title": "社区矫正宣传日志愿服务"}, **extra)
    services.signup_create(supervisee=person, activity_id=upcoming.pk)
    _feed, raw = feed_create(user=person.user)
    feed = client.get(feed_path(raw))
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "BEGIN:VEVENT" in body and body.count("BEGIN:VEVENT") >= 3
    assert "宣传日" in body  # the entry is there, only cleaned
    assert_neutral(body, "calendar feed")
    client.force_login(person.user)
    download = client.get(f"/service/activities/{upcoming.pk}/calendar.ics")
    assert download.status_code == 200
    assert_neutral(download.content.decode(), "activity .ics")
    assert "PRODID:-//Xiangyang//Portal//ZH" in body


def test_neutral_text_keeps_the_rest():
    assert neutral_text("中队公益劳动：社区矫正中心周边保洁") == "公益劳动：社区中心周边保洁"
    assert neutral_text("在第一站集合", names=["第一站"]) == "在集合"
    assert neutral_text("") == ""


def test_a_units_volunteer_service_must_name_a_recording_partner(svc, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    starts = timezone.now() + datetime.timedelta(days=5)
    fields = dict(title="中队志愿服务", theme=svc.theme, kind=ServiceKind.VOLUNTEER_SERVICE,
                  place="广场", district=svc.district, starts_at=starts,
                  ends_at=starts + datetime.timedelta(hours=2), capacity=5,
                  signup_deadline=starts - datetime.timedelta(hours=5), hours=2)
    caseworker = svc.world.users["caseworker"]
    with translation.override("zh-hans"), pytest.raises(services.ServiceError) as info:
        services.activity_save(actor=caseworker, unit=svc.world.squad1, **fields)
    assert info.value.code == "recording_partner_required"
    assert "志愿服务组织" in info.value.message and info.value.status == 422
    assert not Activity.objects.exists()
    # An enterprise is no volunteer-service organisation.
    with pytest.raises(services.ServiceError) as info:
        services.activity_save(actor=caseworker, unit=svc.world.squad1,
                               recording_organisation=svc.world.enterprise, **fields)
    assert info.value.code == "invalid_recording_partner"
    made = services.activity_save(actor=caseworker, unit=svc.world.squad1,
                                  recording_organisation=svc.team, **fields)
    assert made.certifier == svc.team
    # Public-welfare work needs none; a partner records its own hours.
    welfare = services.activity_save(actor=caseworker, unit=svc.world.squad1,
                                     **{**fields, "kind": ServiceKind.PUBLIC_WELFARE})
    assert welfare.recording_organisation is None and welfare.certifier is None
    own = services.activity_save(actor=svc.world.users["ngo"], organisation=svc.world.ngo,
                                 recording_organisation=svc.team, **fields)
    assert own.recording_organisation is None and own.certifier == svc.world.ngo


def test_the_form_and_the_api_refuse_it_too(svc, login, client):
    starts = timezone.localtime() + datetime.timedelta(days=5)
    caseworker = login(svc.world.users["caseworker"])
    data = {"organiser": f"unit:{svc.world.squad1.pk}", "title": "中队志愿服务",
            "theme": svc.theme.pk, "kind": "volunteer_service", "place": "广场",
            "district": svc.district.pk, "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "signup_deadline": (starts - datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": 5, "waitlist_limit": 0, "hours": "2"}
    response = caseworker.post("/service/activities/new/", data)
    assert response.status_code == 200
    assert "志愿服务组织" in response.content.decode()
    assert not Activity.objects.exists()
    response = caseworker.post("/service/activities/new/",
                               {**data, "recording_organisation": svc.team.pk})
    assert response.status_code == 302
    assert Activity.objects.get().recording_organisation == svc.team
    from tests.api.conftest import Api, assert_error

    api = Api(client)
    client.logout()
    api.sign_in("caseworker")
    body = {"title": "中队志愿服务二", "theme": svc.theme.code, "kind": "volunteer_service",
            "place": "广场", "district": svc.district.code,
            "starts_at": starts.isoformat(), "ends_at": (starts + datetime.timedelta(
                hours=2)).isoformat(),
            "signup_deadline": (starts - datetime.timedelta(hours=5)).isoformat(),
            "capacity": 5, "hours": 2, "unit_id": svc.world.squad1.pk}
    assert_error(api.post("/activities", body), 422, "recording_partner_required")
    made = api.post("/activities", {**body, "recording_organisation_id": svc.team.pk})
    assert made.status_code == 201, made.content
    assert Signup.objects.count() == 0

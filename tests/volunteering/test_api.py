"""/api/v1 for service and volunteering: the contract of docs/API.md (shapes, codes)."""

import datetime
import json

import pytest
from django.utils import timezone

from portal.checkin.services import checkin_payload_for
from portal.people.models import ProhibitionOrder
from tests import factories as f
from tests.api.conftest import Api, assert_error
from volunteering import services
from volunteering.models import Activity, HoursEntry, Signup

from .test_certificates import with_hours


@pytest.fixture
def api(client):
    return Api(client)


def test_list_filters_and_pages(svc, api):
    svc.activity(title="清洁")
    svc.activity(title="巡逻", starts_at=timezone.now() + datetime.timedelta(days=9))
    api.sign_in("supervisee")
    body = api.get("/activities?page_size=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1
    item = body["items"][0]
    assert item["title"] == "清洁" and item["kind"] == "volunteer_service"
    assert item["starts_at"].endswith("+08:00")
    assert item["theme"] == {"code": "clean-up", "name": svc.theme.name}
    day = (timezone.localdate() + datetime.timedelta(days=6)).isoformat()
    assert [a["title"] for a in api.get(f"/activities?date_from={day}").json()["items"]] == \
        ["巡逻"]
    assert api.get("/activities?district=town-a").json()["count"] == 2
    assert api.get("/activities?kind=public_welfare").json()["count"] == 0
    assert_error(api.get("/activities?kind=teleport"), 422, "invalid")
    assert_error(api.get("/activities?page_size=500"), 422, "invalid")


def test_excluded_activities_are_not_listed_and_signup_is_404(svc, api):
    bar = f.VenueTypeFactory(code="bar", name="酒吧")
    excluded = svc.activity(title="酒吧街巡逻", venue_type=bar)
    ProhibitionOrder.objects.create(supervisee=svc.world.supervisee, kind="venue_type",
                                    venue_type=bar, description="x",
                                    starts_on=timezone.localdate())
    api.sign_in("supervisee")
    assert api.get("/activities").json()["count"] == 0
    assert_error(api.post(f"/activities/{excluded.pk}/signup"), 404, "not_found")
    assert not Signup.objects.exists()


def test_signup_answers_status_and_position_and_409s(svc, api):
    activity = svc.activity(capacity=1, waitlist_limit=1)
    api.sign_in("supervisee")
    response = api.post(f"/activities/{activity.pk}/signup")
    assert response.status_code == 201
    assert response.json() == {"status": "confirmed", "position": None}
    assert_error(api.post(f"/activities/{activity.pk}/signup"), 409, "already_signed_up")
    other = Api(api.client)
    other.sign_in("supervisee2")
    assert other.post(f"/activities/{activity.pk}/signup").json() == {
        "status": "waitlisted", "position": 1}
    third = svc.person(user=f.UserFactory(username="third"))
    api3 = Api(api.client)
    api3.sign_in(third.user.username)
    assert_error(api3.post(f"/activities/{activity.pk}/signup"), 409, "full")
    assert Signup.objects.count() == 2
    # Cancelling frees the place for the waiting person.
    assert api.delete(f"/activities/{activity.pk}/signup").status_code == 204
    assert Signup.objects.get(supervisee=svc.world.other_supervisee).status == "confirmed"
    assert_error(api.delete(f"/activities/{activity.pk}/signup"), 409, "not_signed_up")


def test_deadline_passed_is_409(svc, api):
    now = timezone.now()
    activity = svc.activity(starts_at=now + datetime.timedelta(hours=3),
                            signup_deadline=now - datetime.timedelta(minutes=5))
    api.sign_in("supervisee")
    # Past its deadline it is no longer listed, but its page and a crafted sign-up answer.
    assert api.get(f"/activities/{activity.pk}").status_code == 200
    assert_error(api.post(f"/activities/{activity.pk}/signup"), 409, "deadline_passed")


def test_staff_cannot_sign_up(svc, api):
    activity = svc.activity()
    api.sign_in("caseworker")
    assert_error(api.post(f"/activities/{activity.pk}/signup"), 403, "not_a_participant")


def test_my_signups_hours_and_certificates(svc, api):
    person = with_hours(svc, svc.world.supervisee)
    svc.consent(person)
    services.certificates_request(supervisee=person)
    upcoming = svc.activity(title="下周")
    services.signup_create(supervisee=person, activity_id=upcoming.pk)
    api.sign_in("supervisee")
    signups = api.get("/me/signups").json()
    assert [(s["type"], s["title"], s["status"]) for s in signups["items"]] == [
        ("activity", "下周", "confirmed")]
    past = api.get("/me/signups?upcoming=false").json()
    assert past["count"] == 3
    hours = api.get("/me/hours").json()
    assert hours["total_volunteer_service"] == 3 and hours["total_public_welfare"] == 2
    assert sum(r["hours"] for r in hours["rows"]) == 5
    month = HoursEntry.objects.filter(supervisee=person).first().service_date.strftime("%Y-%m")
    assert all(r["month"] == month for r in api.get(f"/me/hours?month={month}").json()["rows"])
    assert_error(api.get("/me/hours?month=2025-13"), 422, "invalid_month")
    certificates = api.get("/me/certificates").json()
    assert len(certificates) == 1 and certificates[0]["valid"] is True
    assert certificates[0]["pdf_url"].endswith("certificate.pdf")
    code = certificates[0]["verify_url"].rstrip("/").rsplit("/", 1)[1]
    api.client.logout()  # public: no session, no token
    response = api.client.get(f"/api/v1/certificates/verify/{code}")
    assert response.status_code == 200
    body = response.json()
    assert body["masked_name"] == "李*" and body["hours"] == 3 and body["valid"] is True
    assert set(body) == {"serial", "asked_serial", "replaced", "masked_name",
                         "volunteer_number", "hours", "certifiers", "period_start",
                         "period_end", "issued_on", "valid", "revoked_on"}
    assert [c["organisation"] for c in body["certifiers"]] == [svc.world.ngo.name]
    assert_error(api.client.get("/api/v1/certificates/verify/FORGED123"), 404, "not_found")


def test_organiser_creates_and_cancels(svc, api):
    api.sign_in("ngo")
    starts = timezone.localtime() + datetime.timedelta(days=4)
    body = {
        "title": "敬老院陪伴", "theme": "clean-up", "kind": "volunteer_service",
        "place": "敬老院", "district": "town-a", "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=2)).isoformat(),
        "signup_deadline": (starts - datetime.timedelta(days=1)).isoformat(),
        "capacity": 5, "hours": "2", "organisation_id": svc.world.ngo.pk, "publish": True,
    }
    response = api.post("/activities", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "published" and created["organiser"] == svc.world.ngo.name
    # Partners post no public-welfare activities; they post only for their own organisation.
    assert_error(api.post("/activities", {**body, "kind": "public_welfare"}), 422, "invalid")
    assert_error(api.post("/activities", {**body, "organisation_id": svc.team.pk}), 403,
                 "not_allowed")
    assert_error(api.post("/activities", {**body, "theme": "nope"}), 422, "invalid")
    assert Activity.objects.count() == 1
    response = api.post(f"/activities/{created['id']}/cancel", {"reason": "场地维修"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    supervisee = Api(api.client)
    supervisee.sign_in("supervisee")
    assert_error(supervisee.post("/activities", body), 403, "not_an_organiser")


def test_participants_by_display_name_and_checkin_by_qr(svc, api):
    now = timezone.now()
    starts = now - datetime.timedelta(hours=1)
    activity = svc.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(days=1),
                            capacity=1)
    person = svc.person(legal_name="欧阳明辉")
    Signup.objects.create(activity=activity, supervisee=person, status="confirmed",
                          confirmed_at=starts)
    Activity.objects.filter(pk=activity.pk).update(places_taken=1)
    waiting = svc.person(legal_name="司马光明", alias="小马")
    Signup.objects.create(activity=activity, supervisee=waiting, status="waitlisted")
    api.sign_in("ngo")
    participants = api.get(f"/activities/{activity.pk}/participants").json()
    assert [(p["name"], p["status"], p["position"]) for p in participants] == [
        ("欧***", "confirmed", None), ("小马", "waitlisted", 1)]
    assert "欧阳明辉" not in json.dumps(participants, ensure_ascii=False)
    payload = checkin_payload_for(person.user)
    response = api.post(f"/activities/{activity.pk}/checkin", {"payload": payload})
    assert response.status_code == 200 and response.json()["checked_in_at"]
    assert_error(api.post(f"/activities/{activity.pk}/checkin", {"payload": payload}), 409,
                 "already_checked_in")
    assert_error(api.post(f"/activities/{activity.pk}/checkin",
                          {"payload": checkin_payload_for(waiting.user)}), 409, "not_signed_up")
    assert_error(api.post(f"/activities/{activity.pk}/checkin", {"payload": payload + "x"}),
                 400, "invalid_qr")
    assert_error(api.post(f"/activities/{activity.pk}/checkout", {}), 422, "invalid")
    response = api.post(f"/activities/{activity.pk}/checkout", {"payload": payload})
    assert response.status_code == 200
    assert response.json()["hours_credited"] >= 0
    # Another organisation's staff cannot see or touch it.
    team = Api(api.client)
    team.client.force_login(svc.team_staff,
                            backend="portal.accounts.backends.UsernameOrPhoneBackend")
    assert team.get(f"/activities/{activity.pk}/participants", token="").status_code == 404


def test_my_hours_of_a_person_without_hours_and_after_a_correction(svc, api):
    """No entries: no rows, zero totals and the target of the person's level. Study hours
    only are not service hours. A month whose entries cancel out shows no row."""
    from decimal import Decimal

    from courses.models import StudyHoursEntry
    from portal.people.models import LevelTarget

    from .test_ledger import attended

    person = svc.world.supervisee
    api.sign_in("supervisee")
    target = LevelTarget.objects.get(level=person.level).service_hours
    body = api.get("/me/hours").json()
    this_month = body.pop("this_month")
    assert body == {
        "month": None, "rows": [], "total_public_welfare": 0, "total_volunteer_service": 0,
        "counted_this_month": 0, "service_target": float(target)}
    assert this_month["target"] == float(target) and this_month["done"] == 0
    StudyHoursEntry.objects.create(supervisee=person, kind="attendance", hours=Decimal("2"),
                                   credited_on=timezone.localdate())
    assert api.get("/me/hours").json()["rows"] == []
    _a, _p, signup = attended(svc, person, hours="3", days_ago=1)
    rows = api.get("/me/hours").json()["rows"]
    assert [(r["kind"], r["hours"], r["confirmed_hours"]) for r in rows] == [
        ("volunteer_service", 3, 0)]
    services.hours_adjust(actor=svc.world.users["ngo"], signup=signup, hours="0",
                          reason="未到场")
    body = api.get("/me/hours").json()
    assert body["rows"] == [] and body["total_volunteer_service"] == 0
    assert HoursEntry.objects.filter(supervisee=person).count() == 2  # both kept

"""Check-in by phone, both ways: the person's code is a URL that opens the organiser's
check-in (and tells anyone else nothing), and a person checks themselves in and out from
the activity's poster code, with hours credited only when an organiser confirms."""

import datetime
import json
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.checkin.services import checkin_payload_for
from volunteering import services
from volunteering.models import HoursEntry, Signup
from volunteering.services import ServiceError

JSON = "application/json"


def running(svc, person=None, **kwargs):
    """The NGO's activity that started an hour ago and ends in two, `person` with a place."""
    starts = timezone.now() - datetime.timedelta(hours=1)
    activity = svc.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(hours=2),
                            **kwargs)
    person = person or svc.world.supervisee
    signup = Signup.objects.create(activity=activity, supervisee=person, status="confirmed",
                                   confirmed_at=starts)
    activity.places_taken = 1
    activity.save()
    return activity, signup


def scan_url(user):
    return reverse("checkin:scan", args=[checkin_payload_for(user)])


# --- The person's code page: the alias, never the name ------------------------------------

def test_a_juveniles_code_page_shows_only_participant(world, login):
    page = login(world.juvenile.user).get(reverse("checkin:my_qr")).content.decode()
    assert "参加者" in page
    assert "赵小军" not in page and "赵" not in page.split("<main")[1]


def test_an_adults_code_page_shows_the_roster_name(world, login):
    from portal.access import display_name_for_partner

    page = login(world.supervisee.user).get(reverse("checkin:my_qr")).content.decode()
    main = page.split("<main")[1]
    assert display_name_for_partner(world.supervisee) in main  # 李* as on rosters
    assert "李明" not in main
    world.supervisee.alias = "小李"
    world.supervisee.save()
    main = login(world.supervisee.user).get(reverse("checkin:my_qr")).content.decode()
    assert "小李" in main and "李明" not in main


def test_a_fresh_code_from_the_api(world, login):
    client = login(world.juvenile.user)
    first = client.get(reverse("api-v1:me_checkin_code")).json()
    time.sleep(1.1)
    second = client.get(reverse("api-v1:me_checkin_code")).json()
    assert first["url"] != second["url"]  # newly signed, later expiry
    assert "/checkin/c/XY1." in second["url"] and second["svg"].startswith("<svg")
    assert second["name"] == "参加者" and "赵小军" not in json.dumps(second, ensure_ascii=False)
    assert second["refresh_after"] > 0 and second["valid_until"] > first["valid_until"]
    assert login(None).get(reverse("api-v1:me_checkin_code")).status_code == 401


# --- The scanned URL -----------------------------------------------------------------------

def test_the_organiser_scanning_the_code_can_check_the_person_in(svc, login):
    activity, signup = running(svc)
    url = scan_url(svc.world.supervisee.user)
    page = login(svc.world.users["ngo"]).get(url).content.decode()
    assert activity.title in page and "李*" in page
    assert reverse("volunteering:scan", args=[activity.pk]) in page
    payload = url.split("/c/")[1].rstrip("/")
    response = login(svc.world.users["ngo"]).post(
        reverse("volunteering:scan", args=[activity.pk]), {"payload": payload})
    assert response.status_code == 302
    signup.refresh_from_db()
    assert signup.checked_in_at is not None and not signup.self_checkin


@pytest.mark.parametrize("who", [None, "other_supervisee", "supervisee", "other_caseworker",
                                 "enterprise", "counsellor"])
def test_the_scanned_url_reveals_nothing_to_anyone_else(svc, login, who):
    activity, _signup = running(svc)
    user = svc.world.users[who] if who else None
    response = login(user).get(scan_url(svc.world.supervisee.user))
    page = response.content.decode()
    assert response.status_code == 200
    for secret in ("李", activity.title, "矫正", "签到" + activity.title):
        assert secret not in page.split("<main")[1], secret
    assert "只有其组织方" in page or "Only its organiser" in page


def test_a_stranger_cannot_tell_a_valid_code_from_an_expired_or_forged_one(svc, login,
                                                                       settings):
    running(svc)
    client = login(svc.world.users["other_supervisee"])
    valid = client.get(scan_url(svc.world.supervisee.user)).content.decode()
    forged = client.get(reverse("checkin:scan", args=["XY1.forged:abc:def"])).content.decode()
    settings.XY_CHECKIN_MAX_AGE = 0
    time.sleep(1.1)
    expired = client.get(scan_url(svc.world.supervisee.user)).content.decode()

    def main(html):
        return html.split("<main")[1].split("</main>")[0]

    assert main(valid) == main(forged) == main(expired)


def test_a_juvenile_code_shows_the_organiser_only_participant(svc, login):
    activity, _signup = running(svc, person=svc.world.juvenile, unit=svc.world.squad1,
                                kind="public_welfare", suitable_for_juveniles=True,
                                created_by=svc.world.users["caseworker"])
    page = login(svc.world.users["caseworker"]).get(
        scan_url(svc.world.juvenile.user)).content.decode()
    assert activity.title in page and "参加者" in page and "赵" not in page.split("<main")[1]


# --- Self check-in -------------------------------------------------------------------------

def test_self_checkin_in_and_out_credits_nothing_until_confirmed(svc):
    activity, signup = running(svc)
    person = svc.world.supervisee
    step, s = services.self_checkin(supervisee=person, activity=activity)
    assert step == "in" and s.checked_in_at and s.self_checkin_waiting
    later = timezone.now() + datetime.timedelta(hours=1, minutes=40)
    step, s = services.self_checkin(supervisee=person, activity=activity, at=later)
    assert step == "out" and s.checked_out_at == later
    assert not HoursEntry.objects.filter(signup=signup).exists()  # not yet
    with pytest.raises(ServiceError) as refused:
        services.self_checkin(supervisee=person, activity=activity, at=later)
    assert refused.value.code == "already_checked_out"
    # Only an organiser of the activity confirms.
    with pytest.raises(ServiceError) as refused:
        services.self_checkin_confirm(actor=svc.world.users["other_caseworker"], signup=signup)
    assert refused.value.code == "not_allowed"
    s, entry = services.self_checkin_confirm(actor=svc.world.users["ngo"], signup=signup)
    assert entry.hours == 1.5 and entry.organisation == svc.world.ngo
    assert s.attendance == "attended" and not s.self_checkin_waiting
    assert s.self_checkin_confirmed_by == svc.world.users["ngo"]
    with pytest.raises(ServiceError) as refused:
        services.self_checkin_confirm(actor=svc.world.users["ngo"], signup=signup)
    assert refused.value.code == "nothing_to_confirm"
    assert HoursEntry.objects.filter(signup=signup).count() == 1


@pytest.mark.parametrize("starts_in, code", [
    (datetime.timedelta(hours=2), "too_early"),  # opens half an hour before
    (datetime.timedelta(hours=-6), "too_late"),  # closes an hour after the 3-hour activity
])
def test_self_checkin_outside_the_window_changes_nothing(svc, starts_in, code):
    starts = timezone.now() + starts_in
    activity = svc.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(days=1))
    signup = Signup.objects.create(activity=activity, supervisee=svc.world.supervisee,
                                   status="confirmed", confirmed_at=starts)
    with pytest.raises(ServiceError) as refused:
        services.self_checkin(supervisee=svc.world.supervisee, activity=activity)
    assert refused.value.code == code and refused.value.message
    signup.refresh_from_db()
    assert signup.checked_in_at is None and not signup.self_checkin


def test_self_checkin_without_a_place_is_refused(svc):
    activity, _signup = running(svc)
    with pytest.raises(ServiceError) as refused:
        services.self_checkin(supervisee=svc.world.other_supervisee, activity=activity)
    assert refused.value.code == "not_signed_up"
    assert not Signup.objects.filter(supervisee=svc.world.other_supervisee).exists()


def test_a_poster_token_names_one_activity_and_cannot_be_made_up(svc):
    activity, _signup = running(svc)
    token = services.poster_token(activity)
    assert services.activity_from_poster(token) == activity
    forged = f"{activity.pk + 1}:{token.split(':')[1]}"
    for bad in (forged, "", "nonsense", str(activity.pk)):
        with pytest.raises(ServiceError) as refused:
            services.activity_from_poster(bad)
        assert refused.value.code == "invalid_poster" and refused.value.status == 404


def test_the_organiser_checking_out_a_self_checkin_confirms_it(svc):
    activity, signup = running(svc)
    services.self_checkin(supervisee=svc.world.supervisee, activity=activity,
                          at=timezone.now() - datetime.timedelta(minutes=50))
    signup.refresh_from_db()
    s, entry = services.checkout(actor=svc.world.users["ngo"], activity=activity, signup=signup)
    assert entry is not None and not s.self_checkin_waiting


def test_completing_leaves_an_unconfirmed_self_checkin_waiting(svc):
    activity, signup = running(svc)
    services.self_checkin(supervisee=svc.world.supervisee, activity=activity,
                          at=timezone.now() - datetime.timedelta(minutes=50))
    services.activity_complete(actor=svc.world.users["ngo"], activity=activity)
    signup.refresh_from_db()
    assert signup.checked_out_at is None and signup.self_checkin_waiting
    assert not HoursEntry.objects.filter(signup=signup).exists()
    s, entry = services.self_checkin_confirm(actor=svc.world.users["ngo"], signup=signup)
    assert entry is not None and s.checked_out_at is not None


def test_self_checkin_pages(svc, login):
    activity, signup = running(svc)
    url = reverse("volunteering:self_checkin", args=[services.poster_token(activity)])
    client = login(svc.world.supervisee.user)
    page = client.get(url).content.decode()
    assert "我已到达" in page or "I have arrived" in page
    assert client.post(url).status_code == 302
    signup.refresh_from_db()
    assert signup.checked_in_at and signup.self_checkin
    page = client.get(url).content.decode()
    assert timezone.localtime(signup.checked_in_at).strftime("%H:%M") in page
    # The organiser sees it marked, with the person still there: checking them out confirms.
    manage = login(svc.world.users["ngo"]).get(
        reverse("volunteering:manage", args=[activity.pk])).content.decode()
    assert "data-self-checkin" in manage
    assert reverse("volunteering:poster", args=[activity.pk]) in manage
    # Another person without a place: a refusal, nothing recorded.
    other = login(svc.world.users["other_supervisee"])
    assert "您没有该活动的名额，无法签到" in other.get(url).content.decode()
    other.post(url)
    assert not Signup.objects.filter(supervisee=svc.world.other_supervisee).exists()
    assert login(svc.world.supervisee.user).get(
        reverse("volunteering:self_checkin", args=["1:forged"])).status_code == 404


def test_the_poster_holds_the_self_checkin_url(svc, login):
    activity, _signup = running(svc)
    page = login(svc.world.users["ngo"]).get(
        reverse("volunteering:poster", args=[activity.pk])).content.decode()
    token = services.poster_token(activity)
    assert "<svg" in page and f"/service/checkin/{token}/" in page


def test_confirm_from_the_list(svc, login):
    activity, signup = running(svc)
    services.self_checkin(supervisee=svc.world.supervisee, activity=activity,
                          at=timezone.now() - datetime.timedelta(hours=1))
    services.self_checkin(supervisee=svc.world.supervisee, activity=activity)
    response = login(svc.world.users["ngo"]).post(
        reverse("volunteering:confirm", args=[activity.pk, signup.pk]))
    assert response.status_code == 302
    assert HoursEntry.objects.get(signup=signup).hours == 1


# --- The API twins -------------------------------------------------------------------------

def test_self_checkin_and_confirm_by_api(svc, login):
    activity, signup = running(svc)
    token = services.poster_token(activity)
    client = login(svc.world.supervisee.user)
    body = client.post(reverse("api-v1:self_checkin"), {"token": token},
                       content_type=JSON).json()
    assert body["step"] == "in" and body["confirmed"] is False and body["checked_in_at"]
    body = client.post(reverse("api-v1:self_checkin"), {"token": token},
                       content_type=JSON).json()
    assert body["step"] == "out"
    refused = client.post(reverse("api-v1:self_checkin"), {"token": "1:nope"},
                          content_type=JSON)
    assert refused.status_code == 404 and refused.json()["code"] == "invalid_poster"
    confirm = reverse("api-v1:activity_signup_confirm", args=[activity.pk, signup.pk])
    assert client.post(confirm).status_code == 404  # not the person's to confirm
    ngo = login(svc.world.users["ngo"])
    participants = ngo.get(reverse("api-v1:activity_participants", args=[activity.pk])).json()
    assert participants[0]["self_checkin_waiting"] is True
    body = ngo.post(confirm).json()
    assert body["self_checkin_waiting"] is False and body["name"] == "李*"
    again = ngo.post(confirm)
    assert again.status_code == 409 and again.json()["code"] == "nothing_to_confirm"

"""The private calendar feed: a secret, revocable address; valid RFC 5545 in
Asia/Shanghai with stable UIDs; changes and cancellations reach calendar apps."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from courses import services
from portal.calendar import registry
from portal.calendar.models import CalendarFeed, hash_token
from portal.calendar.services import feed_create, feed_revoke, feed_token_ensure
from tests.courses import factories as cf


@pytest.fixture
def signed_up(world):
    course = cf.course_create(title="拒绝赌博", unit=world.bureau, format="in_person")
    session = cf.session_create(course, venue="矫正中心教室", address="人民路1号",
                                online_url="https://meeting.example/room")
    services.session_signup(session_id=session.pk, supervisee=world.supervisee)
    return session


def fetch(client, token):
    response = client.get(reverse("calendar:feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_only_a_hash_of_the_token_is_stored(world):
    feed, token = feed_create(user=world.users["supervisee"])
    stored = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert token not in str(stored.values())
    assert stored["token_hash"] == hash_token(token)


def test_the_feed_is_valid_with_time_zone_and_stable_uids(world, signed_up, client):
    token = feed_token_ensure(user=world.users["supervisee"])
    first = fetch(client, token)
    assert first["VERSION"] == "2.0" and first["PRODID"]
    assert [tz["TZID"] for tz in first.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    event = events(first)[f"course-session-{signed_up.pk}@{registry.UID_DOMAIN}"]
    assert event.start.tzinfo is not None and str(event.start.tzinfo) == "Asia/Shanghai"
    assert event.start == signed_up.starts_at and event.end == signed_up.ends_at
    assert event["STATUS"] == "CONFIRMED"
    # Calendar apps show entries to anyone near the phone: no corrections words.
    assert str(event["LOCATION"]).startswith("中心教室") and "矫正" not in str(event["LOCATION"])
    assert "https://meeting.example/room" in str(event["DESCRIPTION"])  # signed up
    raw = client.get(reverse("calendar:feed", kwargs={"token": token})).content
    assert b"DTSTART;TZID=Asia/Shanghai:" in raw
    # the same UID on the next fetch
    assert set(events(fetch(client, token))) == set(events(first))
    # the address shown again is the same address
    assert feed_token_ensure(user=world.users["supervisee"]) == token


def test_moves_and_cancellations_reach_the_calendar(world, signed_up, client):
    token = feed_token_ensure(user=world.users["supervisee"])
    uid = f"course-session-{signed_up.pk}@{registry.UID_DOMAIN}"
    services.session_save(by=world.users["caseworker"], session=signed_up,
                          starts_at=signed_up.starts_at + datetime.timedelta(hours=1),
                          ends_at=signed_up.ends_at + datetime.timedelta(hours=1))
    moved = events(fetch(client, token))[uid]
    assert int(moved["SEQUENCE"]) == 1
    services.session_cancel(session=signed_up, by=world.users["caseworker"])
    cancelled = events(fetch(client, token))[uid]
    assert cancelled["STATUS"] == "CANCELLED" and int(cancelled["SEQUENCE"]) == 2


def test_cancelling_my_sign_up_cancels_my_copy(world, signed_up, client):
    token = feed_token_ensure(user=world.users["supervisee"])
    services.session_signup_cancel(session_id=signed_up.pk, supervisee=world.supervisee,
                                   cancelled_by=world.users["supervisee"])
    event = events(fetch(client, token))[
        f"course-session-{signed_up.pk}@{registry.UID_DOMAIN}"]
    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) == signed_up.sequence + 1
    assert "meeting.example" not in str(event.get("DESCRIPTION", ""))


def test_due_dates_of_assigned_courses_are_all_day_events(world, client):
    course = cf.course_create(title="反电信诈骗", unit=world.bureau)
    services.enrolment_assign(course=course, supervisees=[world.supervisee],
                              assigned_by=world.users["caseworker"],
                              due_on=datetime.date(2099, 3, 31))
    calendar = fetch(client, feed_token_ensure(user=world.users["supervisee"]))
    due = [e for e in calendar.walk("VEVENT") if "反电信诈骗" in str(e["SUMMARY"])]
    assert len(due) == 1 and due[0].start == datetime.date(2099, 3, 31)


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),
    lambda t: t.upper(),
    lambda t: t + "0",
    lambda t: "",
])
def test_a_tampered_token_gets_404_and_reveals_nothing(world, signed_up, client, tamper):
    token = feed_token_ensure(user=world.users["supervisee"])
    bad = tamper(token)
    if not bad:
        response = client.get("/calendar/feed/.ics")
    else:
        response = client.get(reverse("calendar:feed", kwargs={"token": bad}))
    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


def test_a_revoked_or_renewed_address_stops_working(world, client, login):
    user = world.users["supervisee"]
    old = feed_token_ensure(user=user)
    web = login(user)
    web.post(reverse("calendar:new"))
    assert web.get(reverse("calendar:feed", kwargs={"token": old})).status_code == 404
    new = feed_token_ensure(user=user)
    assert new != old
    assert web.get(reverse("calendar:feed", kwargs={"token": new})).status_code == 200
    feed_revoke(user=user)
    assert web.get(reverse("calendar:feed", kwargs={"token": new})).status_code == 404


def test_settings_page_shows_the_address(world, login):
    client = login(world.users["supervisee"])
    page = client.get(reverse("calendar:settings")).content.decode()
    assert "/calendar/feed/" not in page  # none yet
    client.post(reverse("calendar:new"))
    page = client.get(reverse("calendar:settings")).content.decode()
    assert "/calendar/feed/" in page and "webcal://" in page


def test_other_apps_contribute_events(world, client):
    """The registry lets another app (volunteering) add its items to the same feed."""
    item = registry.CalendarItem(uid=registry.make_uid("test-activity", 1),
                                 summary="社区清洁", start=datetime.date(2099, 5, 1))

    def provider(user):
        return [item] if user == world.users["supervisee"] else []

    registry.register(provider)
    try:
        calendar = fetch(client, feed_token_ensure(user=world.users["supervisee"]))
        assert "test-activity-1@" + registry.UID_DOMAIN in events(calendar)
    finally:
        registry._providers.remove(provider)


def test_session_ics_download(world, signed_up, client, login):
    url = reverse("courses:session_ics", args=[signed_up.pk])
    anonymous = client.get(url)
    assert anonymous["Content-Disposition"].startswith("attachment")
    calendar = Calendar.from_ical(anonymous.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"course-session-{signed_up.pk}@{registry.UID_DOMAIN}"
    assert "meeting.example" not in anonymous.content.decode()  # link only for those in
    mine = login(world.users["supervisee"]).get(url)
    assert "meeting.example" in mine.content.decode()

"""Activities in the private calendar feed and as an .ics per activity."""

from icalendar import Calendar

from portal.calendar.registry import items_for
from volunteering import services
from volunteering.models import Signup


def test_feed_has_confirmed_places_and_marks_withdrawn_ones(svc):
    person = svc.world.supervisee
    kept = svc.activity(title="保留的活动")
    left = svc.activity(title="退出的活动", starts_at=kept.starts_at.replace(year=kept.starts_at.year + 1))
    waiting = svc.activity(title="排队的活动", capacity=1,
                           starts_at=kept.starts_at.replace(year=kept.starts_at.year + 2))
    services.signup_create(supervisee=svc.person(), activity_id=waiting.pk)
    for activity in (kept, left, waiting):
        services.signup_create(supervisee=person, activity_id=activity.pk)
    services.signup_cancel(supervisee=person, activity_id=left.pk)
    items = {i.summary: i for i in items_for(person.user) if i.uid.startswith("activity-")}
    assert set(items) == {"保留的活动", "退出的活动"}  # not the waiting list
    assert not items["保留的活动"].cancelled and items["退出的活动"].cancelled


def test_cancelling_the_activity_cancels_the_event_with_a_new_sequence(svc):
    person = svc.world.supervisee
    activity = svc.activity()
    services.signup_create(supervisee=person, activity_id=activity.pk)
    before = [i for i in items_for(person.user) if i.uid.startswith("activity-")][0]
    services.activity_cancel(actor=svc.world.users["ngo"], activity=activity, reason="雨")
    after = [i for i in items_for(person.user) if i.uid.startswith("activity-")][0]
    assert after.cancelled and after.sequence > before.sequence and after.uid == before.uid
    assert Signup.objects.get().status == "confirmed"


def test_activity_ics_download(svc, login):
    activity = svc.activity(title="河道清洁")
    response = login(svc.world.users["supervisee"]).get(
        f"/service/activities/{activity.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert len(events) == 1 and str(events[0]["SUMMARY"]) == "河道清洁"
    assert events[0]["DTSTART"].dt == activity.starts_at.replace(microsecond=0)


def test_a_title_with_a_line_break_still_gives_a_calendar_file(svc, login):
    """The partner's own typing cannot break the activity's calendar download."""
    activity = svc.activity(title="河道清洁\n第二期")
    response = login(svc.world.users["supervisee"]).get(
        f"/service/activities/{activity.pk}/calendar.ics")
    assert response.status_code == 200
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert str(events[0]["SUMMARY"]) == "河道清洁 第二期"

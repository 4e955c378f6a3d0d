"""Check-in and check-out (by QR code or from the list), hours from the times, the
organiser's adjustments with a reason, no-shows and completing an activity."""

import datetime
from decimal import Decimal

import pytest
from django.core import signing

from portal.checkin.services import checkin_payload_for
from volunteering import services
from volunteering.models import HoursEntry, Signup
from volunteering.services import ServiceError


def started(svc, **kwargs):
    """An activity that started three hours ago (and ends now), one person with a place."""
    from django.utils import timezone

    starts = timezone.now() - datetime.timedelta(hours=3)
    activity = svc.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(hours=1),
                            **kwargs)
    person = svc.person()
    signup = Signup.objects.create(activity=activity, supervisee=person, status="confirmed",
                                   confirmed_at=starts)
    activity.places_taken = 1
    activity.save()
    return activity, person, signup


def refused(code, fn, **kwargs):
    with pytest.raises(ServiceError) as info:
        fn(**kwargs)
    assert info.value.code == code, info.value.message
    return info.value


def test_qr_checkin_and_checkout_credit_the_time_in_half_hours(svc):
    activity, person, signup = started(svc)
    ngo = svc.world.users["ngo"]
    t0 = activity.starts_at
    services.checkin(actor=ngo, activity=activity, payload=checkin_payload_for(person.user), at=t0)
    _s, entry = services.checkout(actor=ngo, activity=activity,
                                  payload=checkin_payload_for(person.user),
                                  at=t0 + datetime.timedelta(hours=2, minutes=50))
    assert entry.hours == Decimal("2.5")
    assert entry.kind == "volunteer_service"
    assert entry.organisation == svc.world.ngo and entry.recorded_by == ngo
    signup.refresh_from_db()
    assert signup.attendance == "attended"


def test_tampered_or_foreign_qr_is_refused_and_nothing_changes(svc):
    activity, person, signup = started(svc)
    ngo = svc.world.users["ngo"]
    payload = checkin_payload_for(person.user)
    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    refused("invalid_qr", services.checkin, actor=ngo, activity=activity, payload=tampered)
    forged = "XY1." + signing.dumps({"u": person.user.pk}, salt="something-else")
    refused("invalid_qr", services.checkin, actor=ngo, activity=activity, payload=forged)
    refused("invalid_qr", services.checkin, actor=ngo, activity=activity, payload="hello")
    signup.refresh_from_db()
    assert signup.checked_in_at is None


def test_checkin_of_someone_not_signed_up_is_refused(svc):
    activity, _person, _signup = started(svc)
    stranger = svc.person()
    refused("not_signed_up", services.checkin, actor=svc.world.users["ngo"], activity=activity,
            payload=checkin_payload_for(stranger.user))
    staff = svc.world.users["caseworker"]  # a valid code of an account with no record
    refused("not_signed_up", services.checkin, actor=svc.world.users["ngo"], activity=activity,
            payload=checkin_payload_for(staff))


def test_waiting_list_is_not_a_place(svc):
    activity, _p, _s = started(svc)
    waiting = svc.person()
    Signup.objects.create(activity=activity, supervisee=waiting, status="waitlisted")
    refused("not_signed_up", services.checkin, actor=svc.world.users["ngo"], activity=activity,
            payload=checkin_payload_for(waiting.user))


def test_only_the_organiser_takes_attendance(svc):
    activity, person, signup = started(svc)
    refused("not_allowed", services.checkin, actor=svc.team_staff, activity=activity,
            signup=signup)
    refused("not_allowed", services.checkin, actor=svc.world.users["caseworker"],
            activity=activity, signup=signup)


def test_double_checkin_and_checkout_without_checkin_are_refused(svc):
    activity, person, signup = started(svc)
    ngo = svc.world.users["ngo"]
    refused("not_checked_in", services.checkout, actor=ngo, activity=activity, signup=signup)
    services.checkin(actor=ngo, activity=activity, signup=signup)
    refused("already_checked_in", services.checkin, actor=ngo, activity=activity, signup=signup)


def test_checkin_window(svc):
    from django.utils import timezone

    activity = svc.activity()  # in three days
    person = svc.person()
    services.signup_create(supervisee=person, activity_id=activity.pk)
    refused("too_early", services.checkin, actor=svc.world.users["ngo"], activity=activity,
            payload=checkin_payload_for(person.user), at=timezone.now())


def test_times_from_the_paper_list(svc):
    activity, person, signup = started(svc)
    ngo = svc.world.users["ngo"]
    t0 = activity.starts_at
    _s, entry = services.attendance_record(actor=ngo, signup=signup, checked_in_at=t0,
                                           checked_out_at=t0 + datetime.timedelta(minutes=29))
    assert entry is None  # under half an hour: nothing credited
    assert not HoursEntry.objects.exists()


def test_absurd_times_are_refused(svc):
    activity, person, signup = started(svc)
    ngo = svc.world.users["ngo"]
    t0 = activity.starts_at
    refused("invalid_times", services.attendance_record, actor=ngo, signup=signup,
            checked_in_at=t0, checked_out_at=t0 - datetime.timedelta(hours=1))
    refused("invalid_times", services.attendance_record, actor=ngo, signup=signup,
            checked_in_at=t0, checked_out_at=t0 + datetime.timedelta(days=3))
    signup.refresh_from_db()
    assert signup.checked_in_at is None and not HoursEntry.objects.exists()


def test_adjusting_hours_reverses_and_rewrites(svc):
    activity, person, signup = started(svc)
    ngo = svc.world.users["ngo"]
    t0 = activity.starts_at
    services.attendance_record(actor=ngo, signup=signup, checked_in_at=t0,
                               checked_out_at=t0 + datetime.timedelta(hours=2))
    original = HoursEntry.objects.get()
    written = services.hours_adjust(actor=ngo, signup=signup, hours="3", reason="提前到场布置")
    assert [e.hours for e in written] == [Decimal("-2"), Decimal("3")]
    assert written[0].reverses == original
    assert written[1].reason == "提前到场布置"
    assert sum(e.hours for e in HoursEntry.objects.filter(signup=signup)) == Decimal("3")
    original.refresh_from_db()
    assert original.hours == Decimal("2")  # untouched


@pytest.mark.parametrize("hours", ["-1", "25", "abc", "1e9"])
def test_negative_or_absurd_hours_are_refused(svc, hours):
    activity, person, signup = started(svc)
    refused("invalid_hours", services.hours_adjust, actor=svc.world.users["ngo"], signup=signup,
            hours=hours, reason="x")
    assert not HoursEntry.objects.exists()


def test_adjusting_needs_a_reason(svc):
    activity, person, signup = started(svc)
    refused("reason_required", services.hours_adjust, actor=svc.world.users["ngo"],
            signup=signup, hours="2", reason="")


def test_no_show_and_completion(svc):
    activity, came, signup = started(svc, capacity=5)
    absent = svc.person()
    absent_signup = Signup.objects.create(activity=activity, supervisee=absent,
                                          status="confirmed", confirmed_at=activity.starts_at)
    ngo = svc.world.users["ngo"]
    services.checkin(actor=ngo, activity=activity, signup=signup, at=activity.starts_at)
    services.activity_complete(actor=ngo, activity=activity)
    signup.refresh_from_db()
    absent_signup.refresh_from_db()
    assert absent_signup.attendance == "no_show"
    assert signup.checked_out_at is not None  # checked out automatically
    assert HoursEntry.objects.get(signup=signup).hours == Decimal("3")
    activity.refresh_from_db()
    assert activity.status == "completed"


def test_no_show_for_someone_who_came_is_refused(svc):
    activity, person, signup = started(svc)
    ngo = svc.world.users["ngo"]
    services.checkin(actor=ngo, activity=activity, signup=signup)
    refused("attended", services.noshow_record, actor=ngo, signup=signup)


def test_scanning_on_the_page_checks_in_then_out(svc, login):
    activity, person, signup = started(svc)
    client = login(svc.world.users["ngo"])
    url = f"/service/activities/{activity.pk}/scan/"
    payload = checkin_payload_for(person.user)
    client.post(url, {"payload": payload})
    signup.refresh_from_db()
    assert signup.checked_in_at and not signup.checked_out_at
    client.post(url, {"payload": payload})
    signup.refresh_from_db()
    assert signup.checked_out_at and HoursEntry.objects.filter(signup=signup).count() <= 1
    response = client.post(url, {"payload": payload}, follow=True)  # a third scan
    assert any("checked out" in str(m).lower() or "签退" in str(m)
               for m in response.context["messages"])


def test_another_organisation_cannot_scan(svc, login):
    activity, person, signup = started(svc)
    response = login(svc.team_staff).post(f"/service/activities/{activity.pk}/scan/",
                                          {"payload": checkin_payload_for(person.user)})
    assert response.status_code == 404
    signup.refresh_from_db()
    assert signup.checked_in_at is None

"""Signing up: places, the waiting list and its promotion, deadlines, cancellation cut-off
and the activities a person may not join."""

import datetime

import pytest
from django.utils import timezone

from portal.notifications.models import Notification
from portal.people.models import ProhibitionOrder, Supervisee
from tests import factories as f
from volunteering import services
from volunteering.models import Activity, ServiceKind, Signup
from volunteering.services import ServiceError


def sign(person, activity, **kw):
    return services.signup_create(supervisee=person, activity_id=activity.pk, **kw)


def refused(code, fn, *args, **kwargs):
    with pytest.raises(ServiceError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value.message
    return info.value


def test_places_then_waiting_list_in_order(svc):
    activity = svc.activity(capacity=2)
    people = [svc.person() for _ in range(4)]
    results = [sign(p, activity) for p in people]
    assert [r.status for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.position for r in results] == [None, None, 1, 2]
    activity.refresh_from_db()
    assert activity.places_taken == 2


def test_full_activity_and_full_waiting_list_is_refused(svc):
    activity = svc.activity(capacity=1, waitlist_limit=1)
    sign(svc.person(), activity)
    sign(svc.person(), activity)
    late = svc.person()
    error = refused("full", sign, late, activity)
    assert error.status == 409
    assert not Signup.objects.filter(supervisee=late).exists()


def test_second_signup_is_refused_and_changes_nothing(svc):
    activity = svc.activity()
    person = svc.person()
    sign(person, activity)
    refused("already_signed_up", sign, person, activity)
    assert Signup.objects.filter(supervisee=person).count() == 1
    activity.refresh_from_db()
    assert activity.places_taken == 1


def test_past_deadline_is_refused(svc):
    activity = svc.activity()
    person = svc.person()
    refused("deadline_passed", sign, person, activity,
            now=activity.signup_deadline + datetime.timedelta(minutes=1))
    assert not Signup.objects.filter(supervisee=person).exists()


def test_draft_and_cancelled_activities_take_no_signups(svc):
    person = svc.person()
    refused("not_found", sign, person, svc.activity(status=Activity.Status.DRAFT))
    refused("closed", sign, person, svc.activity(status=Activity.Status.CANCELLED))


def test_time_clash_with_another_place_is_refused(svc):
    person = svc.person()
    first = svc.activity()
    second = svc.activity(starts_at=first.starts_at + datetime.timedelta(hours=1))
    sign(person, first)
    refused("time_clash", sign, person, second)


def test_cancel_frees_the_place_for_the_first_waiting_who_is_told(svc):
    activity = svc.activity(capacity=1)
    holder, first, second = svc.person(), svc.person(), svc.person()
    sign(holder, activity)
    sign(first, activity)
    sign(second, activity)
    services.signup_cancel(supervisee=holder, activity_id=activity.pk)
    states = dict(Signup.objects.filter(activity=activity).values_list("supervisee", "status"))
    assert states[holder.pk] == "cancelled"
    assert states[first.pk] == "confirmed"
    assert states[second.pk] == "waitlisted"
    activity.refresh_from_db()
    assert activity.places_taken == 1
    notice = Notification.objects.get(recipient=first.user, kind="waitlist_promoted")
    assert activity.title in notice.title
    assert not Notification.objects.filter(recipient=second.user).exists()


def test_cancel_after_cutoff_is_refused(svc):
    activity = svc.activity()
    person = svc.person()
    sign(person, activity)
    refused("cancellation_closed", services.signup_cancel, supervisee=person,
            activity_id=activity.pk, now=activity.starts_at - datetime.timedelta(hours=2))
    assert Signup.objects.get(supervisee=person).status == "confirmed"


def test_leaving_the_waiting_list_is_allowed_after_the_cutoff(svc):
    activity = svc.activity(capacity=1)
    sign(svc.person(), activity)
    waiting = svc.person()
    sign(waiting, activity)
    services.signup_cancel(supervisee=waiting, activity_id=activity.pk,
                           now=activity.starts_at - datetime.timedelta(hours=1))
    assert Signup.objects.get(supervisee=waiting).status == "cancelled"


def test_cancel_without_signup_is_refused(svc):
    refused("not_signed_up", services.signup_cancel, supervisee=svc.person(),
            activity_id=svc.activity().pk)


def test_signing_up_again_after_cancelling_goes_to_the_end(svc):
    activity = svc.activity(capacity=1)
    a, b = svc.person(), svc.person()
    sign(a, activity)
    sign(b, activity)
    services.signup_cancel(supervisee=a, activity_id=activity.pk)  # b promoted
    again = sign(a, activity)
    assert again.status == "waitlisted" and again.position == 1


def test_more_places_promote_the_waiting(svc):
    activity = svc.activity(capacity=1)
    sign(svc.person(), activity)
    waiting = svc.person()
    sign(waiting, activity)
    services.activity_save(actor=svc.world.users["ngo"], activity=activity, capacity=2)
    assert Signup.objects.get(supervisee=waiting).status == "confirmed"
    activity.refresh_from_db()
    assert activity.places_taken == 2


def test_places_cannot_drop_below_those_taken(svc):
    from django.core.exceptions import ValidationError

    activity = svc.activity(capacity=2)
    sign(svc.person(), activity)
    sign(svc.person(), activity)
    with pytest.raises(ValidationError):
        services.activity_save(actor=svc.world.users["ngo"], activity=activity, capacity=1)
    activity.refresh_from_db()
    assert activity.capacity == 2


# --- Activities a person may not join ---------------------------------------------------------

def test_prohibited_venue_type_is_not_offered_and_crafted_signup_refused(svc):
    bar = f.VenueTypeFactory(code="bar", name="酒吧")
    activity = svc.activity(venue_type=bar)
    other = svc.activity(title="敬老院探访")
    person = svc.person()
    ProhibitionOrder.objects.create(
        supervisee=person, kind="venue_type", venue_type=bar, description="禁止进入酒吧",
        starts_on=timezone.localdate() - datetime.timedelta(days=10))
    from volunteering.selectors import activities_open_to

    offered = set(activities_open_to(person).values_list("pk", flat=True))
    assert activity.pk not in offered and other.pk in offered
    refused("not_found", sign, person, activity)
    assert not Signup.objects.filter(supervisee=person).exists()


def test_expired_prohibition_no_longer_excludes(svc):
    bar = f.VenueTypeFactory(code="bar", name="酒吧")
    activity = svc.activity(venue_type=bar)
    person = svc.person()
    today = timezone.localdate()
    ProhibitionOrder.objects.create(
        supervisee=person, kind="venue_type", venue_type=bar, description="已到期",
        starts_on=today - datetime.timedelta(days=100), ends_on=today - datetime.timedelta(days=1))
    assert sign(person, activity).status == "confirmed"


def test_prohibited_place_excludes_its_district(svc):
    activity = svc.activity()
    person = svc.person()
    ProhibitionOrder.objects.create(
        supervisee=person, kind="place", district=svc.district, description="城关镇",
        starts_on=timezone.localdate())
    refused("not_found", sign, person, activity)


def test_juvenile_only_joins_activities_suitable_for_juveniles(svc):
    juvenile = svc.world.juvenile
    adults_only = svc.activity()
    refused("not_found", sign, juvenile, adults_only)
    suitable = svc.activity(unit=svc.world.squad1, suitable_for_juveniles=True,
                            created_by=svc.world.users["caseworker"])
    assert sign(juvenile, suitable).status == "confirmed"


def test_public_welfare_only_for_own_unit_and_people_in_correction(svc):
    activity = svc.activity(unit=svc.world.squad1, kind=ServiceKind.PUBLIC_WELFARE,
                            created_by=svc.world.users["caseworker"])
    refused("not_found", sign, svc.world.other_supervisee, activity)  # squad 2
    released = svc.person(status=Supervisee.Status.RELEASED)
    refused("not_found", sign, released, activity)
    assert sign(svc.world.supervisee, activity).status == "confirmed"
    bureau_wide = svc.activity(unit=svc.world.bureau, kind=ServiceKind.PUBLIC_WELFARE,
                               created_by=svc.world.users["unit_admin"])
    assert sign(svc.world.other_supervisee, bureau_wide).status == "confirmed"


def test_released_person_may_join_volunteer_service(svc):
    released = svc.person(status=Supervisee.Status.RELEASED)
    assert sign(released, svc.activity()).status == "confirmed"


def test_cancelling_an_activity_tells_everyone_signed_up(svc):
    activity = svc.activity(capacity=1)
    a, b = svc.person(), svc.person()
    sign(a, activity)
    sign(b, activity)
    services.activity_cancel(actor=svc.world.users["ngo"], activity=activity, reason="暴雨")
    for person in (a, b):
        notice = Notification.objects.get(recipient=person.user, kind="activity_cancelled")
        assert "暴雨" in notice.body


def test_cancel_needs_a_reason_and_an_organiser(svc):
    activity = svc.activity()
    refused("reason_required", services.activity_cancel, actor=svc.world.users["ngo"],
            activity=activity, reason=" ")
    refused("not_allowed", services.activity_cancel, actor=svc.team_staff,
            activity=activity, reason="x")
    activity.refresh_from_db()
    assert activity.status == "published"


def test_partner_cannot_run_public_welfare_or_juvenile_activities(svc):
    from django.utils import timezone as tz

    starts = tz.now() + datetime.timedelta(days=5)
    fields = dict(title="x", theme=svc.theme, place="p", district=svc.district,
                  starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
                  signup_deadline=starts - datetime.timedelta(days=1), capacity=5,
                  hours=2)
    ngo = svc.world.users["ngo"]
    refused("invalid", services.activity_save, actor=ngo, organisation=svc.world.ngo,
            kind=ServiceKind.PUBLIC_WELFARE, **fields)
    refused("invalid", services.activity_save, actor=ngo, organisation=svc.world.ngo,
            kind=ServiceKind.VOLUNTEER_SERVICE, suitable_for_juveniles=True, **fields)
    refused("not_allowed", services.activity_save, actor=ngo, unit=svc.world.squad1,
            kind=ServiceKind.VOLUNTEER_SERVICE, **fields)
    assert not Activity.objects.exists()
    made = services.activity_save(actor=svc.world.users["caseworker"], unit=svc.world.squad1,
                                  kind=ServiceKind.PUBLIC_WELFARE, suitable_for_juveniles=True,
                                  **fields)
    assert made.status == "draft"

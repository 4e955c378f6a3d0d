"""A participant reports wrong hours; the organiser approves (new ledger entries) or
rejects; nobody else can report for them or decide."""

import pytest

from portal.notifications.models import Notification
from volunteering import services
from volunteering.models import HoursCorrectionRequest, HoursEntry
from volunteering.services import ServiceError

from .test_ledger import attended


def test_person_reports_and_organiser_approves(svc):
    _a, person, signup = attended(svc, hours="2")
    request = services.correction_request_create(supervisee=person, signup=signup, hours="3",
                                                 reason="我八点就到了")
    services.correction_decide(actor=svc.world.users["ngo"], request=request, approve=True)
    request.refresh_from_db()
    assert request.status == "approved"
    assert sum(e.hours for e in HoursEntry.objects.filter(signup=signup)) == 3
    reversal = HoursEntry.objects.get(signup=signup, reverses__isnull=False)
    assert "我八点就到了" in reversal.reason
    assert Notification.objects.filter(recipient=person.user,
                                       kind="hours_correction_decided").exists()


def test_rejection_needs_a_note_and_changes_no_hours(svc):
    _a, person, signup = attended(svc, hours="2")
    request = services.correction_request_create(supervisee=person, signup=signup, hours="5",
                                                 reason="多算一点")
    with pytest.raises(ServiceError) as info:
        services.correction_decide(actor=svc.world.users["ngo"], request=request, approve=False)
    assert info.value.code == "reason_required"
    services.correction_decide(actor=svc.world.users["ngo"], request=request, approve=False,
                               note="签到表显示两小时")
    assert sum(e.hours for e in HoursEntry.objects.filter(signup=signup)) == 2


def test_correction_for_someone_else_is_refused(svc):
    _a, _person, signup = attended(svc)
    other = svc.person()
    with pytest.raises(ServiceError) as info:
        services.correction_request_create(supervisee=other, signup=signup, hours="3",
                                           reason="x")
    assert info.value.code == "not_found"
    assert not HoursCorrectionRequest.objects.exists()


def test_only_the_organiser_decides(svc):
    _a, person, signup = attended(svc)
    request = services.correction_request_create(supervisee=person, signup=signup, hours="3",
                                                 reason="x")
    for stranger in (svc.team_staff, svc.world.users["caseworker"], person.user):
        with pytest.raises(ServiceError) as info:
            services.correction_decide(actor=stranger, request=request, approve=True)
        assert info.value.code == "not_allowed"
    request.refresh_from_db()
    assert request.status == "pending"


def test_one_pending_request_at_a_time_and_no_absurd_hours(svc):
    _a, person, signup = attended(svc)
    services.correction_request_create(supervisee=person, signup=signup, hours="3", reason="x")
    with pytest.raises(ServiceError) as info:
        services.correction_request_create(supervisee=person, signup=signup, hours="4",
                                           reason="y")
    assert info.value.code == "already_pending"
    _a, person2, signup2 = attended(svc)
    with pytest.raises(ServiceError) as info:
        services.correction_request_create(supervisee=person2, signup=signup2, hours="30",
                                           reason="y")
    assert info.value.code == "invalid_hours"
    assert HoursCorrectionRequest.objects.count() == 1


def test_decided_request_cannot_be_decided_again(svc):
    _a, person, signup = attended(svc)
    request = services.correction_request_create(supervisee=person, signup=signup, hours="3",
                                                 reason="x")
    services.correction_decide(actor=svc.world.users["ngo"], request=request, approve=True)
    with pytest.raises(ServiceError) as info:
        services.correction_decide(actor=svc.world.users["ngo"], request=request, approve=True)
    assert info.value.code == "decided"
    assert HoursEntry.objects.filter(signup=signup).count() == 3

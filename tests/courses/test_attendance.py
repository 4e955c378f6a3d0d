"""Attendance: the QR code scanned at the door, the manual list, corrections, the CSV
export, and what partners may see of the people on the list."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Attendance, Enrolment, StudyHoursEntry
from portal.audit.models import AccessLogEntry
from portal.checkin.services import checkin_payload_for
from portal.errors import ServiceError
from tests.courses import factories as cf


@pytest.fixture
def now_class(world):
    """A class of the NGO's in-person course, starting in an hour."""
    course = cf.course_create(title="情绪管理", organisation=world.ngo, format="in_person",
                              category_slug="mental-health")
    return cf.session_create(course, starts_in=datetime.timedelta(hours=1),
                             study_hours="2.5")


def sign_up(session, *people):
    for person in people:
        services.session_signup(session_id=session.pk, supervisee=person)


def test_scanning_the_code_records_attendance_and_credits_hours(world, now_class, login):
    sign_up(now_class, world.supervisee)
    client = login(world.users["ngo"])
    payload = checkin_payload_for(world.supervisee.user)
    response = client.post(reverse("courses:scan", args=[now_class.pk]),
                           {"payload": payload}, follow=True)
    assert response.status_code == 200
    attendance = Attendance.objects.get()
    assert (attendance.supervisee, attendance.method) == (world.supervisee, "qr")
    entry = StudyHoursEntry.objects.get()
    assert (entry.kind, entry.hours, entry.attendance) == ("attendance", Decimal("2.5"),
                                                          attendance)
    page = response.content.decode()
    assert "李明" not in page  # the partner sees the masked name
    assert "李*" in page
    # attending completes a course without lessons
    assert Enrolment.objects.get(supervisee=world.supervisee).status == "completed"
    # a second scan changes nothing
    client.post(reverse("courses:scan", args=[now_class.pk]), {"payload": payload})
    assert Attendance.objects.count() == 1 and StudyHoursEntry.objects.count() == 1


def test_attendance_for_someone_not_signed_up_is_refused(world, now_class, login):
    client = login(world.users["ngo"])
    response = client.post(reverse("courses:scan", args=[now_class.pk]),
                           {"payload": checkin_payload_for(world.supervisee.user)},
                           follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert str(services.MESSAGES["person_not_signed_up"][0]) in messages
    assert not Attendance.objects.exists()
    with pytest.raises(ServiceError) as refused:
        services.attendance_record(session=now_class, supervisee=world.supervisee,
                                   recorded_by=world.users["ngo"], method="manual")
    assert refused.value.code == "person_not_signed_up"


@pytest.mark.parametrize("payload", ["", "hello", "XY1.forged:abc:def"])
def test_a_bad_code_is_refused(world, now_class, login, payload):
    sign_up(now_class, world.supervisee)
    response = login(world.users["ngo"]).post(
        reverse("courses:scan", args=[now_class.pk]), {"payload": payload}, follow=True)
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_a_tampered_code_naming_another_person_is_refused(world, now_class, login):
    sign_up(now_class, world.supervisee, world.other_supervisee)
    payload = checkin_payload_for(world.supervisee.user)
    body, stamp, signature = payload[len("XY1."):].rsplit(":", 2)
    other = checkin_payload_for(world.other_supervisee.user)[len("XY1."):].split(":")[0]
    forged = f"XY1.{other}:{stamp}:{signature}"
    login(world.users["ngo"]).post(reverse("courses:scan", args=[now_class.pk]),
                                   {"payload": forged})
    assert not Attendance.objects.exists()


def test_partners_never_see_a_juvenile_and_cannot_record_one(world, login):
    course = cf.course_create(organisation=world.ngo, audience="all")
    session = cf.session_create(course, starts_in=datetime.timedelta(minutes=30))
    sign_up(session, world.supervisee, world.juvenile)
    client = login(world.users["ngo"])
    page = client.get(reverse("courses:attendance", args=[session.pk])).content.decode()
    assert "赵小军" not in page and "赵*" not in page
    assert str(world.juvenile.pk) not in [
        field.split('"')[0] for field in page.split('name="person" value="')[1:]]
    csv = client.get(reverse("courses:attendance_csv", args=[session.pk])).content.decode()
    assert "赵" not in csv and "李*" in csv
    # a hand-crafted POST for the juvenile is refused like an unknown person
    client.post(reverse("courses:attendance", args=[session.pk]),
                {"person": world.juvenile.pk})
    # and scanning the juvenile's code is left to corrections staff
    client.post(reverse("courses:scan", args=[session.pk]),
                {"payload": checkin_payload_for(world.juvenile.user)})
    assert not Attendance.objects.exists()
    # the juvenile's caseworker can
    staff = login(world.users["caseworker"])
    page = staff.get(reverse("courses:attendance", args=[session.pk])).content.decode()
    assert "赵小军" in page and "李明" in page
    staff.post(reverse("courses:attendance", args=[session.pk]),
               {"person": world.juvenile.pk})
    assert Attendance.objects.get().supervisee == world.juvenile


def test_partners_never_learn_correction_status(world, now_class, login):
    sign_up(now_class, world.supervisee)
    page = login(world.users["ngo"]).get(
        reverse("courses:attendance", args=[now_class.pk])).content.decode()
    for leak in ("Ordinary", "普管", "Under community correction", "在矫", "社区矫正对象"):
        assert leak not in page


def test_manual_list_marks_present(world, now_class, login):
    sign_up(now_class, world.supervisee, world.other_supervisee)
    client = login(world.users["caseworker"])
    response = client.post(reverse("courses:attendance", args=[now_class.pk]),
                           {"person": world.supervisee.pk})
    assert response.status_code == 302
    assert Attendance.objects.get().method == "manual"


def test_attendance_is_not_taken_long_before_the_class(world, login):
    course = cf.course_create(unit=world.bureau)
    session = cf.session_create(course, starts_in=datetime.timedelta(days=2))
    sign_up(session, world.supervisee)
    with pytest.raises(ServiceError) as refused:
        services.attendance_record(session=session, supervisee=world.supervisee,
                                   recorded_by=world.users["caseworker"], method="manual")
    assert refused.value.code == "attendance_closed"
    assert not Attendance.objects.exists()


def test_withdrawing_attendance_is_a_new_entry_and_takes_the_hours_back(world, now_class,
                                                                        login):
    sign_up(now_class, world.supervisee)
    organiser = world.users["ngo"]
    original = services.attendance_record(session=now_class, supervisee=world.supervisee,
                                          recorded_by=organiser, method="qr")
    client = login(organiser)
    # no reason: refused, nothing changes
    client.post(reverse("courses:attendance_withdraw", args=[now_class.pk]),
                {"person": world.supervisee.pk, "reason": ""})
    assert Attendance.objects.count() == 1
    client.post(reverse("courses:attendance_withdraw", args=[now_class.pk]),
                {"person": world.supervisee.pk, "reason": "扫错了人"})
    rows = list(Attendance.objects.order_by("pk"))
    assert [r.status for r in rows] == ["present", "withdrawn"]
    assert rows[1].corrects == original and rows[1].recorded_by == organiser
    ledger = list(StudyHoursEntry.objects.order_by("pk"))
    assert [(e.kind, e.hours) for e in ledger] == [("attendance", Decimal("2.5")),
                                                  ("correction", Decimal("-2.5"))]
    assert ledger[1].corrects == ledger[0] and ledger[1].reason == "扫错了人"
    # recorded again: a third row, hours credited again
    services.attendance_record(session=now_class, supervisee=world.supervisee,
                               recorded_by=organiser, method="manual")
    assert sum(e.hours for e in StudyHoursEntry.objects.all()) == Decimal("2.5")


def test_attendance_rows_cannot_be_edited_or_deleted(world, now_class):
    from courses.models import AppendOnlyError

    sign_up(now_class, world.supervisee)
    row = services.attendance_record(session=now_class, supervisee=world.supervisee,
                                     recorded_by=world.users["ngo"], method="qr")
    row.method = "manual"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        Attendance.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Attendance.objects.update(method="manual")


def test_csv_export_is_logged(world, now_class, login):
    sign_up(now_class, world.supervisee)
    client = login(world.users["caseworker"])
    response = client.get(reverse("courses:attendance_csv", args=[now_class.pk]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "李明" in body  # the caseworker may see the legal name
    entry = AccessLogEntry.objects.get(action="export")
    assert entry.actor == world.users["caseworker"]
    assert str(now_class.pk) in entry.what


def test_cancelling_a_class_tells_those_signed_up(world, now_class, login):
    from portal.notifications.models import Notification

    sign_up(now_class, world.supervisee)
    login(world.users["ngo"]).post(reverse("courses:session_cancel", args=[now_class.pk]),
                                   {"reason": "场地维修"})
    now_class.refresh_from_db()
    assert now_class.status == "cancelled" and now_class.sequence == 1
    assert Notification.objects.filter(recipient=world.supervisee.user,
                                       kind="session_cancelled").exists()


def test_organisers_schedule_and_move_a_class(world, login):
    course = cf.course_create(organisation=world.ngo)
    client = login(world.users["ngo"])
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=19, minute=0)
    data = {"course": course.pk, "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "venue": "阳光社工活动室", "capacity": "20"}
    response = client.post(reverse("courses:session_new"), data)
    assert response.status_code == 302
    session = course.sessions.get()
    assert session.study_hours == course.study_hours  # defaulted from the course
    sign_up(session, world.supervisee)
    # moving it raises the calendar sequence; fewer places than sign-ups is refused
    data.update(venue="阳光社工二楼", capacity="1")
    client.post(reverse("courses:session_edit", args=[session.pk]), data)
    session.refresh_from_db()
    assert (session.venue, session.sequence) == ("阳光社工二楼", 1)
    data.update(capacity="0")
    response = client.post(reverse("courses:session_edit", args=[session.pk]), data)
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.capacity == 1


def test_an_enterprise_cannot_schedule_a_class_for_the_ngos_course(world, login):
    course = cf.course_create(organisation=world.ngo)
    response = login(world.users["enterprise"]).post(reverse("courses:session_new"), {
        "course": course.pk, "starts_at": "2099-01-01T19:00", "ends_at": "2099-01-01T21:00",
        "venue": "某处", "capacity": "5"})
    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    assert not course.sessions.exists()


def test_partners_know_of_the_people_signed_up_for_their_classes_only(world, now_class):
    from portal.access import partner_visible_people

    sign_up(now_class, world.supervisee, world.juvenile)
    bureau_class = cf.session_create(cf.course_create(unit=world.bureau))
    sign_up(bureau_class, world.other_supervisee)
    assert list(partner_visible_people(world.users["ngo"])) == [world.supervisee]
    assert not partner_visible_people(world.users["enterprise"]).exists()

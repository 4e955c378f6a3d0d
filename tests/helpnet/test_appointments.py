"""Counselling: slots, booking (never twice), cancelling, attendance, reminders, and session
notes that only the counselling provider's staff can read."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from helpnet import services
from helpnet.models import Appointment, CounsellingSlot, SessionNote
from helpnet.services import ServiceError
from portal import access
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "谈到童年创伤与对父亲的愤怒"


def _held(world, person=None, **slot_kwargs):
    """An appointment whose session has begun (booked while it was still ahead)."""
    slot = f.counselling_slot_create(world.counselling, **slot_kwargs)
    appointment = services.appointment_book(actor=(person or world.supervisee).user,
                                            slot_id=slot.pk,
                                            supervisee=person or world.supervisee)
    CounsellingSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1))
    return appointment


def test_counsellor_publishes_a_slot_and_the_person_books_it(world, login):
    client = login(world.users["counsellor"])
    starts = timezone.localtime() + datetime.timedelta(days=3)
    response = client.post(reverse("helpnet:slots"), {
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "minutes": 50, "mode": "in_person",
        "place": "咨询室一"})
    assert response.status_code == 302
    slot = CounsellingSlot.objects.get()
    person_client = login(world.users["supervisee"])
    assert "咨询室一" in person_client.get(reverse("helpnet:me")).content.decode()
    response = person_client.post(reverse("helpnet:slot_book", args=[slot.pk]))
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and appointment.supervisee == world.supervisee
    # The provider learns of the person (by display name) and was told.
    assert world.supervisee in access.partner_visible_people(world.users["counsellor"])
    assert world.users["counsellor"].notifications.filter(kind="appointment").exists()


def test_ngo_staff_cannot_publish_slots(world, login):
    assert login(world.users["ngo"]).get(reverse("helpnet:slots")).status_code == 403
    with pytest.raises(ServiceError):
        services.slot_create(actor=world.users["ngo"], organisation_id=world.ngo.pk,
                             starts_at=timezone.now() + datetime.timedelta(days=1),
                             ends_at=timezone.now() + datetime.timedelta(days=1, hours=1))


def test_a_taken_slot_cannot_be_booked_again(world, login):
    slot = f.counselling_slot_create(world.counselling)
    services.appointment_book(actor=world.supervisee.user, slot_id=slot.pk,
                              supervisee=world.supervisee)
    response = login(world.users["other_supervisee"]).post(
        reverse("helpnet:slot_book", args=[slot.pk]), follow=True)
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert shown == [("error", str(services._taken().message))]
    assert Appointment.objects.filter(slot=slot).count() == 1
    with pytest.raises(ServiceError) as refused:
        services.appointment_book(actor=world.other_supervisee.user, slot_id=slot.pk,
                                  supervisee=world.other_supervisee)
    assert refused.value.code == "slot_taken"
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_the_database_refuses_a_second_live_appointment(world):
    from django.db import IntegrityError, transaction

    slot = f.counselling_slot_create(world.counselling)
    Appointment.objects.create(slot=slot, supervisee=world.supervisee,
                               booked_by=world.supervisee.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(slot=slot, supervisee=world.other_supervisee,
                                   booked_by=world.other_supervisee.user)


def test_cancel_frees_the_slot(world, login):
    slot = f.counselling_slot_create(world.counselling)
    appointment = services.appointment_book(actor=world.supervisee.user, slot_id=slot.pk,
                                            supervisee=world.supervisee)
    assert not services.bookable_slots().filter(pk=slot.pk).exists()
    # Someone else cannot cancel it.
    assert login(world.users["other_supervisee"]).post(
        reverse("helpnet:appointment_cancel", args=[appointment.pk])).status_code == 404
    login(world.users["supervisee"]).post(
        reverse("helpnet:appointment_cancel", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert services.bookable_slots().filter(pk=slot.pk).exists()
    services.appointment_book(actor=world.other_supervisee.user, slot_id=slot.pk,
                              supervisee=world.other_supervisee)


def test_caseworker_books_only_under_a_consented_referral(world):
    slot = f.counselling_slot_create(world.counselling)
    caseworker = world.users["caseworker"]
    with pytest.raises(ServiceError) as refused:
        services.appointment_book(actor=caseworker, slot_id=slot.pk, supervisee=world.supervisee)
    assert refused.value.code == "consent_needed"
    assert not Appointment.objects.exists()
    service = f.help_service_create(world.counselling)
    referral = services.referral_create(actor=caseworker, supervisee=world.supervisee,
                                        service_id=service.pk, reason="焦虑",
                                        consent_given=True)
    appointment = services.appointment_book(actor=caseworker, slot_id=slot.pk,
                                            supervisee=world.supervisee)
    assert appointment.referral == referral
    assert world.supervisee.user.notifications.filter(kind="appointment").exists()


def test_session_notes_are_read_only_by_the_counselling_provider(world, login):
    appointment = _held(world)
    counsellor = login(world.users["counsellor"])
    counsellor.post(reverse("helpnet:appointment_attendance", args=[appointment.pk]),
                    {"attended": "yes", "shared_summary": "按时到场，状态稳定"})
    counsellor.post(reverse("helpnet:appointment_note", args=[appointment.pk]),
                    {"text": SECRET})
    assert SessionNote.objects.filter(appointment=appointment, text=SECRET).exists()
    page = counsellor.get(reverse("helpnet:appointment", args=[appointment.pk]))
    assert SECRET in page.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "attended"
    for role in ("caseworker", "unit_admin", "superuser", "supervisee"):
        response = login(world.users[role]).get(
            reverse("helpnet:appointment", args=[appointment.pk]))
        assert response.status_code == 200, role
        body = response.content.decode()
        assert SECRET not in body, role
        assert "按时到场，状态稳定" in body, role
        assert not access.can_read_session_notes(world.users[role], appointment), role
    for role in ("ngo", "enterprise", "other_caseworker", "other_supervisee"):
        assert login(world.users[role]).get(
            reverse("helpnet:appointment", args=[appointment.pk])).status_code == 404, role


def test_a_caseworker_cannot_write_or_record_notes_or_attendance(world, login):
    appointment = _held(world)
    client = login(world.users["caseworker"])
    assert client.post(reverse("helpnet:appointment_note", args=[appointment.pk]),
                       {"text": "x"}).status_code == 403
    assert client.post(reverse("helpnet:appointment_attendance", args=[appointment.pk]),
                       {"attended": "no"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "booked" and not appointment.notes.exists()


def test_attendance_before_the_session_is_refused(world):
    slot = f.counselling_slot_create(world.counselling)
    appointment = services.appointment_book(actor=world.supervisee.user, slot_id=slot.pk,
                                            supervisee=world.supervisee)
    with pytest.raises(ServiceError) as refused:
        services.attendance_record(actor=world.users["counsellor"],
                                   appointment_id=appointment.pk, attended=True)
    assert refused.value.code == "not_yet"


def test_reminders_the_day_before_once(world):
    tomorrow_noon = timezone.make_aware(datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=1), datetime.time(12)))
    slot = CounsellingSlot.objects.create(organisation=world.counselling,
                                          starts_at=tomorrow_noon,
                                          ends_at=tomorrow_noon + datetime.timedelta(hours=1))
    later = f.counselling_slot_create(world.counselling, days=5)
    services.appointment_book(actor=world.supervisee.user, slot_id=slot.pk,
                              supervisee=world.supervisee)
    services.appointment_book(actor=world.other_supervisee.user, slot_id=later.pk,
                              supervisee=world.other_supervisee)
    from helpnet.tasks import send_appointment_reminders

    send_appointment_reminders.enqueue()  # the immediate backend in tests
    reminders = world.supervisee.user.notifications.filter(kind="appointment_reminder")
    assert reminders.count() == 1
    assert services.appointment_reminders_send() == 0  # not twice
    assert not world.other_supervisee.user.notifications.filter(
        kind="appointment_reminder").exists()


def test_timeline_shows_attendance_never_notes(world, django_assert_max_num_queries):
    from helpnet.timeline import events

    appointment = _held(world)
    services.attendance_record(actor=world.users["counsellor"], appointment_id=appointment.pk,
                               attended=False)
    services.session_note_add(actor=world.users["counsellor"], appointment_id=appointment.pk,
                              text=SECRET)
    with django_assert_max_num_queries(3):
        found = list(events(world.supervisee, viewer=world.users["caseworker"]))
    kinds = [e.kind for e in found]
    assert kinds.count("appointment") == 2
    assert all(SECRET not in e.title + e.detail for e in found)

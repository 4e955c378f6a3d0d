"""/api/v1 for the help network: my referrals and appointments, open slots, booking (409
when taken) and cancelling; never a session note."""

import json

import pytest

from helpnet import services
from helpnet.models import Appointment
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_book_list_and_cancel(world, login):
    slot = f.counselling_slot_create(world.counselling, place="咨询室二")
    client = login(world.users["supervisee"])
    listed = client.get("/api/v1/slots").json()
    assert listed["count"] == 1 and listed["items"][0]["place"] == "咨询室二"
    assert listed["items"][0]["starts_at"].endswith("+08:00")
    booked = client.post(f"/api/v1/slots/{slot.pk}/book")
    assert booked.status_code == 201
    appointment_id = booked.json()["id"]
    assert client.get("/api/v1/slots").json()["count"] == 0
    mine = client.get("/api/v1/me/appointments").json()
    assert [a["id"] for a in mine["items"]] == [appointment_id]
    # Someone else gets 409 with the stable code, and nothing changes.
    other = login(world.users["other_supervisee"])
    taken = other.post(f"/api/v1/slots/{slot.pk}/book")
    assert taken.status_code == 409 and taken.json()["code"] == "slot_taken"
    assert set(taken.json()) >= {"detail", "code"}
    assert other.delete(f"/api/v1/appointments/{appointment_id}").status_code == 404
    assert Appointment.objects.filter(slot=slot).count() == 1
    client = login(world.users["supervisee"])
    cancelled = client.delete(f"/api/v1/appointments/{appointment_id}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.delete(f"/api/v1/appointments/{appointment_id}")
    assert again.status_code == 409 and again.json()["code"] == "not_cancellable"


def test_my_referrals_in_plain_words_and_no_notes(world, login):
    service = f.help_service_create(world.counselling)
    services.referral_create(actor=world.users["caseworker"], supervisee=world.supervisee,
                             service_id=service.pk, reason="入矫以来睡眠不好",
                             summary="希望改善睡眠")
    body = login(world.users["supervisee"]).get("/api/v1/me/referrals").json()
    assert body["count"] == 1
    item = body["items"][0]
    # The person reads what the organisation will read; the staff reason stays with staff.
    assert item["status"] == "awaiting_consent" and item["summary"] == "希望改善睡眠"
    assert item["reason"] == "希望改善睡眠" and "入矫" not in json.dumps(body)
    assert "note" not in json.dumps(body)


def test_staff_and_strangers_are_refused(world, login, client):
    assert client.get("/api/v1/slots").status_code == 401
    response = login(world.users["caseworker"]).get("/api/v1/me/referrals")
    assert response.status_code == 403 and response.json()["code"] == "not_a_participant"
    assert login(world.users["supervisee"]).post("/api/v1/slots/999999/book").status_code == 404

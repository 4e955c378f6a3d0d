"""The person's check-in code: signed, expiring, naming only the account."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from portal.checkin.services import (
    PREFIX,
    SALT,
    ServiceError,
    checkin_payload_for,
    checkin_verify,
)


def test_round_trip(world):
    user = world.users["supervisee"]
    payload = checkin_payload_for(user)
    assert payload.startswith(PREFIX)
    assert checkin_verify(payload) == user
    assert checkin_verify(f"  {payload}\n") == user  # pasted with whitespace


@pytest.mark.parametrize("payload, code", [
    ("", "malformed"),
    ("李明", "malformed"),
    ("XY1.", "invalid"),
    ("XY1.eyJ1IjoxfQ:1vXyz:notasignature", "invalid"),
])
def test_refusals(world, payload, code):
    with pytest.raises(ServiceError) as refused:
        checkin_verify(payload)
    assert refused.value.code == code
    assert refused.value.message


def test_a_code_signed_for_another_purpose_is_refused(world):
    other = signing.dumps({"u": world.users["supervisee"].pk}, salt="something-else")
    with pytest.raises(ServiceError) as refused:
        checkin_verify(PREFIX + other)
    assert refused.value.code == "invalid"


def test_an_old_code_expires(world):
    payload = checkin_payload_for(world.users["supervisee"])
    time.sleep(1.1)
    with pytest.raises(ServiceError) as refused:
        checkin_verify(payload, max_age_seconds=1)
    assert refused.value.code == "expired"


def test_an_inactive_account_is_refused(world):
    user = world.users["supervisee"]
    payload = checkin_payload_for(user)
    user.is_active = False
    user.save()
    with pytest.raises(ServiceError) as refused:
        checkin_verify(payload)
    assert refused.value.code == "unknown"


def test_the_payload_carries_no_personal_data(world):
    payload = checkin_payload_for(world.users["supervisee"])
    data = signing.loads(payload[len(PREFIX):], salt=SALT)
    assert data == {"u": world.users["supervisee"].pk}


def test_my_qr_page_shows_an_svg_code(world, login):
    response = login(world.users["supervisee"]).get(reverse("checkin:my_qr"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'class="qr-code"' in page
    assert 'http-equiv="refresh"' in page


def test_scanner_component_offers_camera_only_as_enhancement(world, login):
    from tests.courses import factories as cf

    course = cf.course_create(unit=world.bureau)
    session = cf.session_create(course)
    page = login(world.users["caseworker"]).get(
        reverse("courses:scan", args=[session.pk])).content.decode()
    assert 'name="payload"' in page  # works without JavaScript
    assert "hidden data-camera-start" in page  # the camera button waits for the script
    assert "checkin/scan.js" in page

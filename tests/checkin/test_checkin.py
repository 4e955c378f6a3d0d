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


def test_my_qr_page_shows_an_svg_code_that_renews_without_reloading(world, login):
    response = login(world.users["supervisee"]).get(reverse("checkin:my_qr"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'class="qr-code"' in page
    assert 'http-equiv="refresh"' not in page  # a reload offline is a browser error page
    assert reverse("api-v1:me_checkin_code") in page and "checkin/qr.js" in page
    assert reverse("checkin:service_worker") in page


def test_the_code_is_a_url_to_the_organisers_check_in(world, rf):
    from portal.checkin.services import checkin_url_for

    user = world.users["supervisee"]
    url = checkin_url_for(user, request=rf.get("/", HTTP_HOST="testserver"))
    assert url.startswith("http://testserver/checkin/c/XY1.") and url.endswith("/")
    assert checkin_verify(url) == user  # a reader's text: the whole URL
    assert checkin_verify(url + "?from=wechat") == user


def test_the_service_worker_is_scoped_to_the_code_page(world, client):
    response = client.get(reverse("checkin:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert reverse("checkin:service_worker").startswith(reverse("checkin:my_qr"))
    body = response.content.decode()
    assert '"/me/qr/"' in body and "caches.match" in body


def test_scanner_component_offers_camera_only_as_enhancement(world, login):
    from tests.courses import factories as cf

    course = cf.course_create(unit=world.bureau)
    session = cf.session_create(course)
    page = login(world.users["caseworker"]).get(
        reverse("courses:scan", args=[session.pk])).content.decode()
    assert 'name="payload"' in page  # works without JavaScript
    assert "hidden data-camera-start" in page  # the camera button waits for the script
    assert "checkin/scan.js" in page
    # The decoder for browsers without BarcodeDetector, and a photo for phones without
    # a camera API in the browser.
    assert "checkin/vendor/jsQR.js" in page
    assert 'type="file" accept="image/*" capture="environment"' in page


def test_hidden_beats_the_button_display_rule():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    assert "[hidden] { display: none !important; }" in css


def test_the_shipped_decoder_is_the_npm_package_with_its_licence():
    import json

    from django.conf import settings

    root = settings.BASE_DIR
    shipped = (root / "portal/checkin/static/checkin/vendor/jsQR.js").read_text(encoding="utf-8")
    assert shipped.startswith("/*! jsQR 1.4.0") and "Apache License" in shipped[:400]
    assert (root / "portal/checkin/static/checkin/vendor/LICENSE-jsQR.txt").exists()
    assert json.loads((root / "package.json").read_text())["dependencies"]["jsqr"] == "1.4.0"
    npm_copy = root / "node_modules/jsqr/dist/jsQR.js"
    if npm_copy.exists():
        assert shipped.endswith(npm_copy.read_text(encoding="utf-8"))

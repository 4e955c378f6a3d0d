"""Check-in by phone in a real browser (Chromium, phone screen): the organiser reads a
person's code from a photo with the JavaScript decoder (no BarcodeDetector), the code's
URL opens the organiser's check-in, a person checks themselves in and out from the poster
code, and the person's code page still shows its code offline."""

import datetime

import pytest
import segno
from django.utils import timezone

from portal.checkin.services import checkin_payload_for
from tests.factories import PASSWORD
from tests.volunteering.conftest import svc  # noqa: F401  (fixture)
from volunteering import services
from volunteering.models import HoursEntry, Signup

pytestmark = [pytest.mark.e2e,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, username):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def running(builder, person):
    starts = timezone.now() - datetime.timedelta(hours=1)
    activity = builder.activity(starts_at=starts, signup_deadline=starts - datetime.timedelta(hours=2),
                            title="社区环境清洁")
    signup = Signup.objects.create(activity=activity, supervisee=person, status="confirmed",
                                   confirmed_at=starts)
    activity.places_taken = 1
    activity.save()
    return activity, signup


def test_organiser_scans_a_photo_of_the_code_with_the_javascript_decoder(
        page, svc, live_server, tmp_path, screenshot):  # noqa: F811
    person = svc.world.supervisee
    activity, signup = running(svc, person)
    url = f"{live_server.url}/checkin/c/{checkin_payload_for(person.user)}/"
    png = tmp_path / "code.png"
    segno.make(url, error="m").save(str(png), scale=8, border=4)
    # As on Chromium for Linux, iOS Safari, Chrome on Windows: no BarcodeDetector.
    page.add_init_script("delete window.BarcodeDetector;")
    sign_in(page, "ngo")
    page.goto(f"/service/activities/{activity.pk}/manage/")
    assert page.evaluate("() => 'BarcodeDetector' in window") is False
    assert page.evaluate("() => typeof window.jsQR") == "function"
    # There is a camera API here, so the camera button shows; the photo button always.
    assert page.locator("[data-camera-start]").is_visible()
    assert page.locator("[data-photo]").is_visible()
    page.locator("[data-photo-input]").set_input_files(str(png))
    page.wait_for_url(f"**/service/activities/{activity.pk}/manage/")
    page.wait_for_load_state()
    assert "李*" in page.locator(".messages").inner_text()
    signup.refresh_from_db()
    assert signup.checked_in_at is not None and not signup.self_checkin
    screenshot("checked-in")

    # A phone's own camera app opens the code's URL: the next step is checking out.
    page.goto(url)
    assert page.locator("main h1").inner_text() == "李*"
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    signup.refresh_from_db()
    assert signup.checked_out_at is not None


def test_the_scanner_hides_the_camera_button_without_a_camera_api(page, svc):  # noqa: F811
    activity, _signup = running(svc, svc.world.supervisee)
    page.add_init_script("Object.defineProperty(navigator, 'mediaDevices', {value: undefined});")
    sign_in(page, "ngo")
    page.goto(f"/service/activities/{activity.pk}/manage/")
    assert page.locator("[data-camera-start]").is_hidden()
    assert page.locator("[data-photo]").is_visible()


def test_a_person_checks_in_and_out_from_the_poster_code(page, svc, screenshot):  # noqa: F811
    person = svc.world.supervisee
    activity, signup = running(svc, person)
    poster_url = f"/service/checkin/{services.poster_token(activity)}/"
    sign_in(page, "supervisee")
    page.goto(poster_url)
    page.get_by_role("button", name="我已到达").click()
    page.wait_for_load_state()
    signup.refresh_from_db()
    arrived = timezone.localtime(signup.checked_in_at).strftime("%H:%M")
    assert page.locator("[data-arrived]").inner_text() == arrived
    assert page.locator("[data-left]").inner_text() == "—"
    page.goto(poster_url)  # scanned again on leaving
    page.get_by_role("button", name="我要离开").click()
    page.wait_for_load_state()
    signup.refresh_from_db()
    assert page.locator("[data-left]").inner_text() == (
        timezone.localtime(signup.checked_out_at).strftime("%H:%M"))
    assert not HoursEntry.objects.filter(signup=signup).exists()
    screenshot("self-checked-out")

    # The organiser sees the self check-in marked and confirms it.
    page.context.clear_cookies()
    sign_in(page, "ngo")
    page.goto(f"/service/activities/{activity.pk}/manage/")
    assert page.locator(f"#signup-{signup.pk} [data-self-checkin]").is_visible()
    page.locator(f"#signup-{signup.pk}").get_by_role("button", name="确认签到时间").click()
    page.wait_for_load_state()
    signup.refresh_from_db()
    assert signup.self_checkin_confirmed_at is not None


def test_the_code_page_shows_its_code_offline(page, world, screenshot):
    sign_in(page, "juvenile")
    page.goto("/me/qr/")
    assert page.locator("figcaption").inner_text() == "参加者"
    # The service worker has kept the page and its assets.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        "() => caches.open('xy-checkin-v1').then(c => c.match('/me/qr/')).then(Boolean)")
    page.context.set_offline(True)
    # The copy the service worker keeps (the last page it fetched: a code signed a moment
    # later than the one on screen, as valid) is what shows offline.
    kept = page.evaluate(
        "() => caches.open('xy-checkin-v1').then(c => c.match('/me/qr/')).then(r => r.text())")
    response = page.reload()
    assert response.from_service_worker  # not the network: there is none
    assert page.locator("[data-qr-svg] svg.qr-code").is_visible()
    assert page.locator("[data-qr-svg] svg path").first.get_attribute("d") in kept
    assert page.locator("figcaption").inner_text() == "参加者"
    assert "没有网络" in page.locator("[data-qr-status]").inner_text()
    screenshot("offline")
    page.context.set_offline(False)

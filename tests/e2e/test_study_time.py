"""Study time in a real browser on a phone-sized screen: the lesson's "mark done" button
is refused at first and enabled once the page's heartbeats have recorded the lesson's
minimum time; the heartbeats pause while the page is hidden."""

from decimal import Decimal

import pytest

from courses import services
from courses.models import LessonPage, LessonProgress, LessonTime
from tests.courses import factories as cf
from tests.factories import PASSWORD

from .test_foundation import sign_in

pytestmark = [pytest.mark.e2e,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def lesson(world, monkeypatch):
    """A lesson of six seconds' minimum; the page reports every second."""
    monkeypatch.setattr(services, "BEAT_SECONDS", 1)
    course = cf.course_create(title="防范电信诈骗", unit=world.bureau, lessons=1)
    LessonPage.objects.child_of(course).update(min_minutes=Decimal("0.1"))
    services.enrolment_create(supervisee=world.supervisee, course=course)
    return LessonPage.objects.child_of(course).get()


@pytest.fixture
def lesson_page(page, lesson):
    """The browser page; afterwards the lesson's reports are cut off before the test's
    database goes away (leaving the page sends one last report)."""
    yield page
    page.route("**/heartbeat", lambda route: route.abort())
    page.goto("about:blank")


def heartbeats(page) -> list:
    seen = []
    page.on("request", lambda r: seen.append(r.url) if "/heartbeat" in r.url else None)
    return seen


def test_the_button_is_refused_at_first_and_enabled_after_the_minimum(
        lesson_page, world, lesson, screenshot):
    page = lesson_page
    sign_in(page, "supervisee", PASSWORD)
    page.goto(lesson.url)
    button = page.locator("button[data-complete]")
    assert button.is_disabled()
    assert "还需学习约" in button.inner_text()
    screenshot("refused")
    page.wait_for_function(
        "() => !document.querySelector('button[data-complete]').disabled", timeout=20_000)
    assert button.inner_text().strip() == "标记本课时已完成"
    assert LessonTime.objects.get(lesson=lesson).seconds >= 6
    button.click()
    page.wait_for_load_state()
    assert LessonProgress.objects.filter(lesson=lesson).exists()
    assert page.locator(".tag.ok").first.is_visible()
    screenshot("done")


def test_heartbeats_pause_while_the_page_is_hidden(lesson_page, world, lesson):
    page = lesson_page
    sign_in(page, "supervisee", PASSWORD)
    seen = heartbeats(page)
    page.goto(lesson.url)
    page.wait_for_timeout(2500)
    assert len(seen) >= 2
    page.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.wait_for_timeout(300)
    after_hiding = len(seen)  # the last report, sent as the page is hidden
    page.wait_for_timeout(3000)
    assert len(seen) == after_hiding
    page.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.wait_for_timeout(2500)
    assert len(seen) > after_hiding

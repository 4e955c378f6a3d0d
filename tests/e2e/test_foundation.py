"""The portal in a real browser: Chinese by default, a supervisee signs in through the
login form and lands on their own dashboard, and the pages a newcomer sees first pass
axe-core without serious or critical problems."""

import re

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_home_page_is_chinese_by_default(page, screenshot):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    heading = page.locator("h1").first.inner_text()
    assert CJK.search(heading), f"the home page's heading is not Chinese: {heading!r}"
    # Noto CJK is installed, so the heading is drawn with real glyphs, not tofu boxes:
    # a CJK font is chosen and the text has width.
    assert page.evaluate("() => document.fonts.check('16px sans-serif', '向阳')")
    assert page.locator("h1").first.bounding_box()["width"] > 0
    screenshot("home")


def test_supervisee_signs_in_and_sees_own_dashboard(page, world, screenshot):
    sign_in(page, "supervisee", PASSWORD)
    assert page.url.endswith("/dashboard/"), page.url
    body = page.locator("main").inner_text()
    assert world.supervisee.unit.name in body  # 第一中队, their own unit
    assert world.other_supervisee.unit.name not in body
    screenshot("dashboard")


def test_wrong_password_keeps_the_person_on_the_login_page(page, world):
    sign_in(page, "supervisee", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.locator("main [role=alert], main .errorlist, main .form-errors").count() > 0
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url  # still signed out


def test_home_page_has_no_serious_accessibility_problems(page, axe):
    page.goto("/")
    axe("the home page")


def test_login_page_has_no_serious_accessibility_problems(page, axe):
    page.goto("/accounts/login/")
    axe("the login page")


def test_dashboard_has_no_serious_accessibility_problems(page, world, axe):
    sign_in(page, "supervisee", PASSWORD)
    assert page.url.endswith("/dashboard/")
    axe("the supervisee's dashboard")

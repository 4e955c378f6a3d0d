"""The Wagtail admin a unit administrator and an editor use, in a real browser, reads in
Chinese: no run of Latin letters outside names, codes and URLs (issue 30). Each page's
visible text and its placeholder/aria-label/title attributes are read; the few legitimate
Latin words (account names, list codes, English names of list terms, file formats, the
language picker's "English") are allowed by name."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from cms.models import ContentPage, HomePage
from portal.taxonomy.models import District, Industry, Skill, VenueType
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LATIN = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]")
URL = re.compile(r"https?://\S+|/[\w./?=&%-]+")
# Words that stay Latin on purpose: the language picker's endonym (docs/style-zh.md), the
# image formats and size unit of the upload form.
ALLOWED = {"English", "AVIF", "GIF", "JPEG", "JPG", "PNG", "WEBP", "SVG", "HEIC", "MB", "KB"}
TEXT_JS = """() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[placeholder],[aria-label],[title]')) {
    for (const a of ['placeholder', 'aria-label', 'title']) {
      const v = el.getAttribute(a); if (v) parts.push(v);
    }
  }
  return parts.join('\\n');
}"""


def allowed_words():
    """Names and codes: account names, the lists' codes and English names, slugs."""
    words = set(ALLOWED)
    values = list(get_user_model().objects.values_list("username", flat=True))
    for model in (District, Skill, Industry, VenueType):
        values += [v for pair in model.objects.values_list("code", "name_en") for v in pair]
    from courses.models import CourseCategory

    values += list(CourseCategory.objects.values_list("slug", flat=True))
    for value in values:
        words.update(LATIN.findall(value or ""))
    return words


def latin_runs(page, allowed) -> list[str]:
    text = URL.sub(" ", page.evaluate(TEXT_JS))
    return sorted({run for run in LATIN.findall(text) if run not in allowed})


def sign_in(page, username):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def submit(page):
    """Wagtail's "submit for moderation" button (it sits in the footer's action menu)."""
    with page.expect_navigation():
        page.evaluate("document.querySelector('button[name=action-submit]').click()")


def walk(page, urls, allowed):
    """Visit each admin URL; {url: Latin runs} for the pages that have some."""
    errors, found = [], {}
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    for url in urls:
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, f"{url} answered {response.status}"
        runs = latin_runs(page, allowed)
        if runs:
            found[url] = runs
    assert not errors, f"script errors in the admin: {errors}"
    return found


@pytest.fixture
def content_page(world):
    home = HomePage.objects.first()
    page = home.add_child(instance=ContentPage(title="服务指南", slug="guide"))
    page.save_revision().publish()
    return page


def test_unit_administrator_reads_the_admin_in_chinese(page, world):
    sign_in(page, "unitadmin")
    allowed = allowed_words()
    found = walk(page, [
        "/admin/", "/admin/units/", "/admin/units/new/", "/admin/partners/",
        "/admin/partners/new/", "/admin/memberships/", "/admin/memberships/new/",
        "/admin/retention/", "/admin/retention/new/", "/admin/retention-log/",
        "/admin/access-log/", "/admin/targets/", "/admin/districts/", "/admin/skills/",
        "/admin/help_agreements/", "/admin/training_bases/", "/admin/account/",
    ], allowed)
    assert not found, f"Latin words in the unit administrator's admin: {found}"
    # The empty retention list says so in Chinese, with the model's Chinese name.
    page.goto("/admin/retention/")
    assert "保留策略" in page.locator("main").inner_text()
    # The account page has no time-zone choice that breaks the browser ("localtime").
    page.goto("/admin/account/")
    assert page.locator("select[name='locale-current_time_zone']").count() == 0


def test_editor_edits_pages_and_snippets_and_submits_for_moderation_in_chinese(
        page, world, content_page):
    sign_in(page, "editor")
    allowed = allowed_words()
    home = HomePage.objects.first()
    found = walk(page, [
        "/admin/", "/admin/pages/", f"/admin/pages/{home.pk}/",
        f"/admin/pages/{home.pk}/add_subpage/",
        f"/admin/pages/add/cms/contentpage/{home.pk}/",
        f"/admin/pages/{content_page.pk}/edit/", f"/admin/pages/{content_page.pk}/history/",
        "/admin/snippets/", "/admin/snippets/volunteering/theme/",
        "/admin/snippets/volunteering/theme/add/", "/admin/snippets/courses/coursecategory/",
        "/admin/snippets/courses/coursecategory/add/", "/admin/documents/", "/admin/images/",
        "/admin/reports/workflow/", "/admin/account/",
    ], allowed)
    assert not found, f"Latin words in the editor's admin: {found}"

    # A page saved without a title: the error summary is Chinese.
    page.goto(f"/admin/pages/add/cms/contentpage/{home.pk}/")
    submit(page)
    page.wait_for_load_state("networkidle")
    assert "页面有错误，未能创建。" in page.locator("body").inner_text()
    assert not latin_runs(page, allowed), latin_runs(page, allowed)

    # Submitted for moderation to the "审核员审批" workflow (its name is Chinese data).
    assert "送交审核员审批" in page.content()
    page.locator("input[name=title]").fill("志愿服务须知")
    # The slug sits on the promote tab; Chinese titles give no automatic one.
    page.evaluate("document.querySelector('input[name=slug]').value = 'volunteer-notes'")
    submit(page)
    page.wait_for_load_state("networkidle")
    submitted = Page.objects.get(title="志愿服务须知")
    assert submitted.workflow_states.filter(status="in_progress").exists()
    page.goto("/admin/")
    assert not latin_runs(page, allowed), latin_runs(page, allowed)
    page.goto(f"/admin/pages/{submitted.pk}/edit/")
    page.wait_for_load_state("networkidle")
    body = page.locator("body").inner_text()
    assert "此页面正在等待审核。" in body
    assert not latin_runs(page, allowed), latin_runs(page, allowed)

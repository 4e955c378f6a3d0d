"""The public site as a visitor and an editor see it: home, news, partner directory,
content pages, drafts and previews."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from cms.models import ContentPage, HomePage, NewsPage, PartnerPage
from portal.organisations.models import Organisation
from tests import factories as f


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- home ------------------------------------------------------------------------------


def test_home_page_is_chinese_and_shows_the_latest_news(client, add_news):
    add_news("最早的一条消息", days_ago=30)
    add_news("社区矫正志愿者走进敬老院", days_ago=3)
    add_news("法治课堂开讲", days_ago=2)
    add_news("电商实训班开班", days_ago=1)
    add_news("还没发布的草稿", live=False)

    html = text(client.get("/"))

    assert 'lang="zh-CN"' in html
    assert "向阳" in html
    # the three newest, newest first; older and unpublished news stay off the home page
    positions = [html.find(t) for t in ("电商实训班开班", "法治课堂开讲", "社区矫正志愿者走进敬老院")]
    assert -1 not in positions and positions == sorted(positions)
    assert "最早的一条消息" not in html
    assert "还没发布的草稿" not in html
    assert 'href="/news/"' in html  # the link to all news


def test_home_page_lists_sections_that_are_in_the_menu(client, home, news_index):
    hidden = ContentPage(title="内部说明", slug="internal", show_in_menus=False)
    home.add_child(instance=hidden)

    html = text(client.get("/"))

    assert f'href="{news_index.url}"' in html
    assert "内部说明" not in html


# --- news ------------------------------------------------------------------------------


def test_news_index_lists_live_news_newest_first_with_pages(client, news_index, add_news):
    for n in range(12):
        add_news(f"新闻第{n:02d}号", days_ago=n + 1, summary=f"摘要{n:02d}")
    add_news("草稿新闻", live=False)

    first = text(client.get("/news/"))
    second = text(client.get("/news/", {"page": 2}))

    assert first.find("新闻第00号") < first.find("新闻第09号")
    assert "新闻第10号" not in first and "新闻第10号" in second
    assert "摘要00" in first
    assert "草稿新闻" not in first + second
    assert 'href="?page=2"' in first
    # a page number that is not one shows a page instead of an error
    assert "新闻第00号" in text(client.get("/news/", {"page": "abc"}))
    assert "新闻第11号" in text(client.get("/news/", {"page": 999}))


def test_news_page_shows_its_date_and_body(client, add_news):
    page = add_news("逐光志愿服务队开展法治宣传", body="<p>在城关镇集市发放宣传资料。</p>",
                    summary="法治宣传进集市")

    html = text(client.get(page.url))

    assert "逐光志愿服务队开展法治宣传" in html
    assert "在城关镇集市发放宣传资料。" in html
    assert page.date.strftime("%Y-%m-%d") in html


def test_a_draft_is_not_visible_to_the_public_nor_to_signed_in_people(client, add_news, world,
                                                                      login):
    draft = add_news("尚未发布的新闻", live=False, slug="draft-news")
    path = "/news/draft-news/"

    assert client.get(path).status_code == 404
    for role in ("supervisee", "caseworker", "editor"):
        assert login(world.users[role]).get(path).status_code == 404
    assert "尚未发布的新闻" not in client.get("/news/").content.decode()
    # once published it is there
    draft.save_revision().publish()
    assert "尚未发布的新闻" in text(login(None).get(path))


def test_a_private_page_is_not_listed_or_served_to_the_public(client, news_index, add_news):
    page = add_news("仅限工作人员的通知")
    PageViewRestriction.objects.create(page=page, restriction_type="login")

    assert "仅限工作人员的通知" not in text(client.get("/news/"))
    assert "仅限工作人员的通知" not in text(client.get("/"))
    response = client.get(page.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- partner directory -------------------------------------------------------------------


def test_partner_directory_filters_by_kind(client, directory, add_partner):
    add_partner("启航社工中心", Organisation.Kind.NGO)
    add_partner("心晴心理咨询", Organisation.Kind.COUNSELLING)
    add_partner("禾香电商产业园", Organisation.Kind.ENTERPRISE, summary="设有电商直播实训基地")
    add_partner("逐光志愿服务队", Organisation.Kind.VOLUNTEER_TEAM)

    everyone = text(client.get("/partners/"))
    enterprises = text(client.get("/partners/", {"kind": "enterprise"}))
    teams = text(client.get("/partners/", {"kind": "volunteer_team"}))
    nonsense = text(client.get("/partners/", {"kind": "<script>"}))

    for name in ("启航社工中心", "心晴心理咨询", "禾香电商产业园", "逐光志愿服务队"):
        assert name in everyone and name in nonsense
    assert "禾香电商产业园" in enterprises and "设有电商直播实训基地" in enterprises
    assert "启航社工中心" not in enterprises and "逐光志愿服务队" not in enterprises
    assert "逐光志愿服务队" in teams and "禾香电商产业园" not in teams
    assert "<script>" not in nonsense
    # NGOs are listed before enterprises (the order of the kinds, not of their codes)
    assert everyone.find("启航社工中心") < everyone.find("禾香电商产业园")


def test_partner_page_shows_contact_and_services_but_no_person(client, add_partner):
    page = add_partner("青禾县顺达物流", Organisation.Kind.ENTERPRISE,
                       contact_name="汪建军", contact_phone="0000-6630003",
                       address="桃源镇物流园A区", summary="仓储实训基地")
    page.services = "<ul><li>分拣员岗位</li></ul>"
    page.save_revision().publish()

    html = text(client.get(page.url))

    assert "0000-6630003" in html and "桃源镇物流园A区" in html
    assert "分拣员岗位" in html and "仓储实训基地" in html
    assert "汪建军" not in html  # a public page never names a person


def test_a_partner_that_stopped_working_with_the_unit_leaves_the_site(client, add_partner):
    page = add_partner("已停止合作的机构")
    Organisation.objects.filter(pk=page.organisation_id).update(is_active=False)

    assert client.get(page.url).status_code == 404
    assert "已停止合作的机构" not in text(client.get("/partners/"))


# --- content pages ---------------------------------------------------------------------


def test_content_page_lists_its_subpages(client, home):
    about = ContentPage(title="关于向阳", slug="about", intro="平台介绍")
    home.add_child(instance=about)
    privacy = ContentPage(title="隐私说明", slug="privacy", search_description="收集哪些信息")
    about.add_child(instance=privacy)
    draft = ContentPage(title="未发布的说明", slug="draft", live=False)
    about.add_child(instance=draft)

    html = text(client.get("/about/"))

    assert "平台介绍" in html
    assert 'href="/about/privacy/"' in html and "收集哪些信息" in html
    assert "未发布的说明" not in html


def test_page_types_only_go_where_they_belong(home, news_index, directory):
    assert not NewsPage.can_create_at(home)
    assert NewsPage.can_create_at(news_index)
    assert not PartnerPage.can_create_at(news_index)
    assert PartnerPage.can_create_at(directory)
    assert not HomePage.can_create_at(home)  # one home page


# --- query counts ------------------------------------------------------------------------


def _queries(client, path) -> int:
    client.get(path)  # warm Wagtail's site-root cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_news_index_query_count_does_not_grow_with_the_news(client, add_news,
                                                             django_assert_num_queries):
    for n in range(2):
        add_news(f"少量新闻{n}")
    few = _queries(client, "/news/")
    for n in range(25):
        add_news(f"大量新闻{n}", summary="摘要")
    client.get("/news/")

    with django_assert_num_queries(few):
        html = client.get("/news/").content.decode()
    assert html.count("大量新闻") == 10


def test_partner_directory_query_count_does_not_grow_with_the_partners(
        client, add_partner, django_assert_num_queries):
    district = f.DistrictFactory(name="城关镇")
    add_partner("机构甲", district=district)
    few = _queries(client, "/partners/")
    for n in range(20):
        add_partner(f"机构{n:02d}", list(Organisation.Kind.values)[n % 4], district=district,
                    summary="简介")
    client.get("/partners/")

    with django_assert_num_queries(few):
        html = client.get("/partners/").content.decode()
    assert html.count("机构") >= 21
    with django_assert_num_queries(few):
        client.get("/partners/?kind=ngo")


# --- preview -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["home", "content", "news_index", "news", "directory",
                                  "partner"])
def test_every_page_type_can_be_previewed(kind, home, news_index, directory, add_news,
                                          add_partner):
    about = ContentPage(title="关于向阳", slug="about")
    home.add_child(instance=about)
    page = {
        "home": home, "content": about, "news_index": news_index,
        "news": add_news("预览新闻"), "directory": directory,
        "partner": add_partner("预览机构"),
    }[kind].specific

    response = page.make_preview_request()

    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_an_editor_previews_unpublished_changes_in_the_admin(world, login, add_news):
    page = add_news("已发布的标题")
    client = login(world.users["editor"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    form["title"] = "预览中的新标题"
    # the StreamField editor is drawn by JavaScript: send its data as the browser would
    form.update(nested_form_data({
        "body": streamfield([("paragraph", rich_text("<p>预览中的正文</p>"))])}))
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])

    posted = client.post(preview_url, form)
    preview = client.get(preview_url)

    assert posted.status_code == 200 and posted.json()["is_valid"]
    assert "预览中的新标题" in text(preview) and "预览中的正文" in preview.content.decode()
    # the public still sees the published version
    assert "已发布的标题" in text(login(None).get(page.url))

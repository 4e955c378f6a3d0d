"""Search (/search/): Chinese words find pages, only live public pages are found, odd
input gets an answer rather than an error."""

import re

from wagtail.models import PageViewRestriction

from cms.search import MAX_QUERY_LENGTH, index_text, query_terms
from cms.views import RESULTS_PER_PAGE
from portal.organisations.models import Organisation


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_chinese_word_finds_the_news_page_that_contains_it(client, add_news):
    add_news("逐光志愿服务队走进敬老院", body="<p>志愿者为老人打扫房间、理发。</p>")
    add_news("民法典专题讲座", body="<p>讲解婚姻家庭和继承。</p>")

    in_title = search(client, "敬老院")
    in_body = search(client, "理发")
    phrase = search(client, "志愿服务")

    assert "逐光志愿服务队走进敬老院" in in_title and "民法典专题讲座" not in in_title
    assert "逐光志愿服务队走进敬老院" in in_body
    assert "逐光志愿服务队走进敬老院" in phrase
    assert "民法典专题讲座" in search(client, "继承")
    nothing = search(client, "赌博")
    assert 'id="no-results"' in nothing and 'id="search-results"' not in nothing


def test_every_word_must_match(client, add_news):
    add_news("敬老服务", body="<p>走进敬老院</p>")
    add_news("法治宣传", body="<p>走进集市</p>")

    html = search(client, "走进 集市")

    assert "法治宣传" in html and "敬老服务" not in html


def test_search_finds_partners_by_their_organisation(client, add_partner):
    add_partner("禾香电子商务产业园", Organisation.Kind.ENTERPRISE, summary="设有电商直播实训基地")

    assert "禾香电子商务产业园" in search(client, "直播实训")


def test_drafts_and_private_pages_are_never_found(client, add_news):
    add_news("草稿里的志愿服务", live=False)
    private = add_news("内部的志愿服务通知")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    add_news("公开的志愿服务")

    html = search(client, "志愿服务")

    assert "公开的志愿服务" in html
    assert "草稿里的志愿服务" not in html
    assert "内部的志愿服务通知" not in html


def test_an_empty_query_shows_the_form_without_results(client, add_news):
    add_news("任意新闻")

    for q in ("", "   ", "\n"):
        html = search(client, q)
        assert 'id="q"' in html
        assert "任意新闻" not in html
        assert 'id="no-results"' not in html and 'id="search-results"' not in html


def test_a_very_long_query_is_shortened_and_says_so(client, add_news):
    add_news("志愿服务")

    html = search(client, "志愿服务 " * 2000)

    assert 'id="query-shortened"' in html
    assert 'id="query-shortened"' not in search(client, "志愿服务")
    used = re.search(r'id="q" name="q" value="([^"]*)"', html).group(1)
    assert 0 < len(used) <= MAX_QUERY_LENGTH
    assert "志愿服务" in html.split('id="search-results"')[1]  # what was kept still counts


def test_operators_and_punctuation_cannot_break_the_search(client, add_news):
    add_news("法治课堂")

    for q in ('"', "法治 OR", "*", "(", "法治)", "NEAR/2", "-法治", "法治；课堂！", "'; DROP"):
        search(client, q)  # answers 200
    assert "法治课堂" in search(client, "法治；课堂！")


def test_results_are_paginated_and_keep_the_query(client, add_news):
    for n in range(RESULTS_PER_PAGE + 3):
        add_news(f"志愿服务活动{n:02d}")

    first = search(client, "志愿服务")
    second = search(client, "志愿服务", page=2)

    found = [f"志愿服务活动{n:02d}" for n in range(RESULTS_PER_PAGE + 3)]
    assert sum(title in first for title in found) == RESULTS_PER_PAGE
    assert sum(title in second for title in found) == 3
    assert "q=%E5%BF%97%E6%84%BF%E6%9C%8D%E5%8A%A1&amp;page=2" in first
    search(client, "志愿服务", page="abc")  # a bad page number is not an error


# --- the Chinese tokeniser --------------------------------------------------------------


def test_index_text_holds_every_character_and_pair():
    tokens = index_text("志愿服务", "<p>敬老</p>", None).split()

    assert {"志", "愿", "服", "务", "志愿", "愿服", "服务", "敬", "老", "敬老"} == set(tokens)
    assert "<p>" not in tokens


def test_query_terms_cut_chinese_into_pairs_and_keep_other_words():
    assert query_terms("志愿服务") == "志愿 愿服 服务"
    assert query_terms("法") == "法"
    assert query_terms("Wagtail 敬老院!") == "Wagtail 敬老 老院"
    assert query_terms('"*()-') == ""

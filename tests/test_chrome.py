"""The menu and the footer on every page (base.html, components/footer.html): each role
sees its menu with the current page marked, in both languages, and the language form
returns to the page it is on, escaped."""

import html as html_lib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from portal.context_processors import navigation

PAGE = Template('{% extends "base.html" %}')


def _page(request) -> str:
    return PAGE.render(RequestContext(request, {}))


def _with_user(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return request


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_role_sees_its_menu_with_the_current_page_marked(world, language):
    seen = set()
    for role, user in world.users.items():
        with translation.override(language):
            items = navigation(_with_user(user))["nav_items"]
            for current in ["/", "/nowhere/", *(url for _label, url in items)]:
                page = _page(_with_user(user, current))
                menu = page.split('<nav aria-label="')[1].split("</nav>")[0]
                for label, url in items:
                    mark = ' aria-current="page"' if url == current else ""
                    entry = f'<li><a href="{url}"{mark}>{html_lib.escape(str(label))}</a></li>'
                    assert entry in menu, (role, language, current, entry)
                assert menu.count('aria-current="page"') == (current in dict(
                    (url, label) for label, url in items)), (role, current)
                seen.add(menu)
    assert len(seen) > 20  # roles' menus differ, and so does the current entry


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("path", ["/", "/learning/?page=2", '/search/?q=<b>"&x=\'1\'', "/新闻/"])
def test_the_language_form_returns_to_the_page(db, language, path):
    request = _with_user(None, path)
    with translation.override(language):
        footer = _page(request).split('<footer class="site-footer">')[1]
    full_path = request.get_full_path()
    assert f'<input name="next" type="hidden" value="{html_lib.escape(full_path)}">' in footer
    assert f'<option value="{language}" lang="{language}" selected>' in footer
    assert footer.count(" selected>") == 1
    assert '<a href="/search/">' in footer
    assert "<b>" not in footer


def test_each_role_gets_its_own_menu(world):
    """Each role sees only what it can do: the menus of a caseworker, a person and an
    NGO differ, and each is the same on every request."""

    def menu(user):
        return [(str(label), url) for label, url in
                navigation(_with_user(user))["nav_items"]]

    first = {role: menu(user) for role, user in world.users.items()}
    for role, user in world.users.items():
        assert menu(user) == first[role], role
    assert first["caseworker"] != first["supervisee"] != first["ngo"]
    assert "/people/" in [url for _label, url in first["caseworker"]]
    assert "/people/" not in [url for _label, url in first["supervisee"]]

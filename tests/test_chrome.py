"""The menu and the footer on every page are built once per language and kept
(xy_tags.nav_links, site_footer): their markup must be exactly what the template gave, for
every role, in both languages, whichever page is the current one, and with a path the
language form returns to that needs escaping."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from portal.context_processors import navigation

# The markup as base.html had it before the change.
NAV = ("""{% for label, url in nav_items %}<li><a href="{{ url }}"{% if request.path == url %}"""
       """ aria-current="page"{% endif %}>{{ label }}</a></li>{% endfor %}""")
FOOTER = """{% load i18n %}<form action="{% url 'set_language' %}" method="post" class="lang">
      <input name="next" type="hidden" value="{{ request.get_full_path }}">
      <label for="lang-select">{% translate "Language" %}</label>
      <select id="lang-select" name="language">
        {% get_available_languages as LANGUAGES %}{% for code, name in LANGUAGES %}<option value="{{ code }}"{% if code == LANGUAGE_CODE %} selected{% endif %}>{{ name }}</option>{% endfor %}
      </select>
      <button type="submit">{% translate "Switch" %}</button>
    </form>
    <p><a href="{% url 'search' %}">{% translate "Search" %}</a></p>"""  # noqa: E501


def _render(source, request, **extra):
    context = Context({"request": request, **extra})
    return Template(source).render(context)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_menu_is_the_template_loops_markup_for_every_role(world, language):
    seen = set()
    for role, user in world.users.items():
        with translation.override(language):
            items = navigation(RequestFactory().get("/")
                               if user is None else _with_user(user))["nav_items"]
            for current in ["/", "/nowhere/", *(url for _label, url in items)]:
                request = RequestFactory().get(current)
                expected = _render(NAV, request, nav_items=items)
                got = _render("{% load xy_tags %}{% nav_links nav_items request.path %}",
                              request, nav_items=items)
                assert got == expected, (role, language, current)
                seen.add(got)
    assert len(seen) > 20  # roles' menus differ, and so does the current entry


def _with_user(user):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("path", ["/", "/learning/?page=2", '/search/?q=<b>"&x=\'1\'', "/新闻/"])
def test_the_footer_is_the_templates_markup(db, language, path):
    request = RequestFactory().get(path)
    with translation.override(language):
        expected = _render(FOOTER, request, LANGUAGE_CODE=language)
        for _ in range(2):  # built, then kept
            assert _render("{% load xy_tags %}{% site_footer %}", request) == expected
    assert "<b>" not in expected


def test_each_role_gets_its_own_kept_menu(world):
    """The menu's entries are kept per set of roles and partner kinds: after every role
    has been served (all kept), each still gets what it gets worked out afresh."""
    from portal import context_processors

    def menu(user):
        return [(str(label), url) for label, url in
                navigation(_with_user(user))["nav_items"]]

    context_processors._MENUS.clear()
    fresh = {}
    for role, user in world.users.items():
        context_processors._MENUS.clear()
        fresh[role] = menu(user)
    for user in world.users.values():
        menu(user)
    assert len(context_processors._MENUS) > 3
    for role, user in world.users.items():
        assert menu(user) == fresh[role], role
    assert fresh["caseworker"] != fresh["supervisee"] != fresh["ngo"]

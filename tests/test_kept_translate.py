"""`{% load i18n %}` is Django's library with literal {% translate %} tags kept per
language and autoescape (portal.templating.i18n): what a page shows must not change."""

import pytest
from django.template import Context, Engine, engines
from django.utils import translation

from portal.templating.i18n import KeptTranslateNode

SOURCE = """{% load i18n %}<h1>{% translate "Sign out" %}</h1>
<a title="{% translate 'Main' %}">{% trans "Menu" %}</a>
{% translate "Sign in" as label %}[{{ label }}]
{% translate word %}|{% translate "Menu" noop %}|{% translate "May" context "month name" %}
{% translate "a < b & 100%%" %}|{% blocktranslate count n=count %}{{ n }} activity{% plural %}{{ n }} activities{% endblocktranslate %}"""


def _django_engine():
    """The same templates with Django's own i18n library."""
    return Engine(libraries={"i18n": "django.templatetags.i18n"})


@pytest.mark.parametrize("autoescape", [True, False])
def test_the_kept_tags_render_what_djangos_render(autoescape):
    ours = engines["django"].from_string(SOURCE)
    theirs = _django_engine().from_string(SOURCE)
    seen = set()
    for language in ["zh-hans", "en", "zh-hans", "en"]:  # built, then as kept
        for word in ["Menu", "Sign in"]:
            context = {"word": word, "count": 3}
            with translation.override(language):
                mine = ours.template.render(Context(context, autoescape=autoescape))
                expected = theirs.render(Context(context, autoescape=autoescape))
            assert mine == expected
            seen.add(mine)
    assert len(seen) == 4  # two languages, two words: the output does change with them
    assert any("退出" in page or "注销" in page for page in seen)


def test_i18n_in_the_projects_templates_is_the_kept_library():
    template = engines["django"].from_string('{% load i18n %}{% translate "Menu" %}').template
    assert [type(n) for n in template.nodelist if type(n).__name__.endswith("TranslateNode")] == [
        KeptTranslateNode]


def test_a_kept_tag_follows_the_language_of_each_render():
    template = engines["django"].from_string('{% load i18n %}{% translate "Menu" %}').template
    with translation.override("en"):
        english = template.render(Context({}))
    with translation.override("zh-hans"):
        chinese = template.render(Context({}))
    with translation.override("en"):
        assert template.render(Context({})) == english == "Menu"
    assert chinese != english


def test_a_kept_tag_takes_the_language_of_the_request_and_of_a_language_block(rf):
    """A page's tags read the language the i18n context processor put in its context; a
    {% language %} block puts its own there, nested or not, and gives it back after."""
    from django.template import RequestContext

    template = engines["django"].from_string(
        '{% load i18n %}{% translate "Menu" %}|{% language "en" %}{% translate "Menu" %}|'
        '{% language "zh-hans" %}{% translate "Menu" %}{% endlanguage %}|'
        '{% translate "Menu" %}{% endlanguage %}|{% translate "Menu" %}').template
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            menu = translation.gettext("Menu")
            page = template.render(RequestContext(rf.get("/")))
        assert page == f"{menu}|Menu|菜单|Menu|{menu}"


def test_a_second_module_for_another_library_name_is_still_warned_of(settings):
    from django.core import checks

    assert not [e for e in checks.run_checks(tags=["templates"]) if e.id == "xiangyang.W010"]
    engine_options = settings.TEMPLATES[0]["OPTIONS"]
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {
        **engine_options,
        "libraries": {**engine_options["libraries"], "static": "portal.templatetags.xy_tags"}}}]
    found = [e for e in checks.run_checks(tags=["templates"]) if e.id == "xiangyang.W010"]
    assert len(found) == 1 and "'static'" in found[0].msg

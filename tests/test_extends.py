"""{% extends %} with the root template's blocks kept on it (portal/templating/extends.py):
every page renders as Django's own tag renders it, through chains of templates, with
{{ block.super }}, and the project's templates use it."""

import pytest
from django.template import Context, Engine, engines

from portal.templating.extends import KeptExtendsNode

TEMPLATES = {
    "base.html": "<t>{% block title %}Base{% endblock %}</t>{% block body %}<p>base</p>"
                 "{% block inner %}in{% endblock %}{% endblock %}<f>{% block foot %}"
                 "{{ who }}{% endblock %}</f>",
    "middle.html": "{% extends 'base.html' %}{% block title %}Mid · {{ block.super }}"
                   "{% endblock %}{% block inner %}[{{ block.super }}]{% endblock %}",
    "page.html": "{% extends 'middle.html' %}{% block inner %}<b>{{ block.super }}</b>"
                 "{% endblock %}{% block foot %}{{ who }}!{% endblock %}",
    "plain.html": "{% extends 'base.html' %}",
    "other.html": "{% extends 'base.html' %}{% block body %}other{% endblock %}",
}


def _engine(builtins):
    return Engine(loaders=[("django.template.loaders.cached.Loader",
                            [("django.template.loaders.locmem.Loader", TEMPLATES)])],
                  builtins=builtins)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_pages_render_as_djangos_extends_renders_them(name):
    ours = _engine(["portal.templating.extends"])
    theirs = _engine([])
    for who in ("甲", "<乙>", "丙"):  # the first render collects, the next ones keep
        assert (ours.get_template(name).render(Context({"who": who}))
                == theirs.get_template(name).render(Context({"who": who})))
    for other in sorted(TEMPLATES):  # other children of the same base, after it was kept
        assert (ours.get_template(other).render(Context({"who": "丁"}))
                == theirs.get_template(other).render(Context({"who": "丁"})))


def test_the_projects_templates_use_it_and_keep_the_bases_blocks():
    template = engines["django"].get_template("casework/unit_dashboard.html").template
    node = template.nodelist[0]
    assert isinstance(node, KeptExtendsNode)
    base = engines["django"].get_template("base.html").template
    rendered = engines["django"].from_string(
        "{% extends 'base.html' %}{% block content %}<p>内容</p>{% endblock %}").render({})
    assert "<p>内容</p>" in rendered
    assert set(base._xy_root_blocks) >= {"title", "content", "body_class", "extra_head"}

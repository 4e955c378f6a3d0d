"""Django's `i18n` template library, with `{% translate "a literal" %}` kept per language.

A page has twenty to forty `{% translate "…" %}` tags (headings, labels, buttons), and
Django looks each one up in the catalogue, localizes and escapes it on every render: about
twenty Python calls a tag, on every page. What such a tag gives depends only on the active
language and on whether the template autoescapes, so each tag keeps what it gave, per
(language, autoescape). Tags with a variable, a filter, a context, `noop` or `as` are
Django's own, unchanged. Everything else in the library is Django's.

The project's template engine loads this module under the library name `i18n`
(TEMPLATES["OPTIONS"]["libraries"]), so `{% load i18n %}` everywhere, the admin's
templates included, gets it; the tags' syntax is Django's, and makemessages reads the
templates as before.
"""

from django.template import Library, Variable
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

register = Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


class KeptTranslateNode(django_i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        var = self.filter_expression.var
        self.keeps = (not noop and asvar is None and message_context is None
                      and not self.filter_expression.filters
                      and isinstance(var, Variable) and isinstance(var.literal, str))
        self.kept = {}

    def render(self, context):
        if not self.keeps:
            return super().render(context)
        # The language the i18n context processor (or a {% language %} block, below)
        # put in the context: what get_language() gives there, without asking for the
        # active translation at every tag; a context without it asks.
        language = context.get("LANGUAGE_CODE") or get_language()
        key = (language, context.autoescape)
        found = self.kept.get(key)
        if found is None:
            found = self.kept[key] = super().render(context)
        return found


class LanguageNode(django_i18n.LanguageNode):
    """{% language %}: Django's, with the block's language in the context as well, where
    the kept tags read it."""

    def render(self, context):
        from django.utils import translation

        with translation.override(self.language.resolve(context)):
            with context.push(LANGUAGE_CODE=translation.get_language()):
                return self.nodelist.render(context)


@register.tag("language")
def language(parser, token):
    node = django_i18n.language(parser, token)
    return LanguageNode(node.nodelist, node.language)


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar,
                             node.message_context)


# --- The system check ------------------------------------------------------------------------
#
# Django warns (templates.W003) when a library name is given to two modules: here it always
# is, on purpose, for `i18n`. The project silences W003 and runs this check instead: the
# same, but for that one intended pair.

INTENDED = frozenset({"django.templatetags.i18n", __name__})


def template_tag_names_check(app_configs, **kwargs):
    from collections import defaultdict

    from django.core.checks import Warning
    from django.template import engines
    from django.template.backends.django import DjangoTemplates, get_template_tag_modules

    errors = []
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        libraries = defaultdict(set)
        for name, path in [*get_template_tag_modules(), *engine.engine.libraries.items()]:
            libraries[name].add(path)
        for name, paths in libraries.items():
            if len(paths) > 1 and not (name == "i18n" and paths == INTENDED):
                errors.append(Warning(
                    f"{name!r} is used for multiple template tag modules: "
                    f"{', '.join(repr(p) for p in sorted(paths))}",
                    obj=engine, id="xiangyang.W010"))
    return errors

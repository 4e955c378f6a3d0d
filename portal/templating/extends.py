"""`{% extends %}`, Django's, with the root template's blocks kept on it.

When a page's template extends the base template, Django's ExtendsNode walks the whole
base template's node tree on every render to collect its {% block %} nodes (about 290
Python calls a page here). The compiled base template does not change once the cached
loader holds it, so its blocks are collected once and kept on it; a template loaded
afresh (DEBUG, no cached loader) is a new object and is walked again. Everything else
is Django's ExtendsNode. TEMPLATES["OPTIONS"]["builtins"] puts this tag in place of
Django's for every template."""

from django.template import Library
from django.template.base import TextNode
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
    do_extends,
)

register = Library()
_NOT_ROOT = object()


def _root_blocks(template):
    """The {% block %} nodes of `template` by name when it extends nothing (the root of
    the chain), else _NOT_ROOT: ExtendsNode.render's test, kept on the template."""
    found = template.__dict__.get("_xy_root_blocks")
    if found is None:
        found = _NOT_ROOT
        for node in template.nodelist:
            # The ExtendsNode has to be the first non-text node.
            if not isinstance(node, TextNode):
                if not isinstance(node, ExtendsNode):
                    found = {n.name: n for n in template.nodelist.get_nodes_by_type(BlockNode)}
                break
        template.__dict__["_xy_root_blocks"] = found
    return found


class KeptExtendsNode(ExtendsNode):
    def render(self, context):
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = _root_blocks(compiled_parent)
        if blocks is not _NOT_ROOT:
            block_context.add_blocks(blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


@register.tag("extends")
def extends(parser, token):
    node = do_extends(parser, token)
    kept = KeptExtendsNode(node.nodelist, node.parent_name, node.template_dirs)
    kept.blocks = node.blocks
    return kept

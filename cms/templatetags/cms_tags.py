from django import template

from portal import pagecache

register = template.Library()


@register.simple_tag
def cms_version() -> str:
    """The token that changes whenever any page is published, unpublished, moved or
    deleted (portal/pagecache.py): a vary-on for {% wagtailpagecache %} fragments that
    list other pages."""
    return pagecache.cms_version()

from django import template

from portal.bench.cache import cms_version as _cms_version

register = template.Library()


@register.simple_tag
def cms_version() -> str:
    """The token that changes whenever any page is published, unpublished, moved or
    deleted (portal/bench/cache.py); pass it to {% wagtailpagecache %} as a vary-on."""
    return _cms_version()

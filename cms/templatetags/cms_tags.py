from django import template
from django.utils.translation import gettext, gettext_lazy

from portal import pagecache

register = template.Library()


@register.simple_tag
def cms_version() -> str:
    """The token that changes whenever any page is published, unpublished, moved or
    deleted (portal/pagecache.py): a vary-on for {% wagtailpagecache %} fragments that
    list other pages."""
    return pagecache.cms_version()


# Django names model permissions "Can add <verbose name>" in English, as data; the admin's
# group screens print that name. The label is rebuilt from the codename and the model's
# (translated) verbose name; other permissions go through the catalogue.
PERMISSION_ACTIONS = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}


@register.filter
def xy_permission_label(permission) -> str:
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in PERMISSION_ACTIONS and model is not None and model_name == model._meta.model_name:
        return PERMISSION_ACTIONS[action] % {"model": model._meta.verbose_name}
    return gettext(permission.name)

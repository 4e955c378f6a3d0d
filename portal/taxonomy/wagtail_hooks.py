from wagtail import hooks

from .viewsets import TaxonomyGroup


@hooks.register("register_admin_viewset")
def register_taxonomy():
    return TaxonomyGroup()

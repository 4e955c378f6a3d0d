from wagtail import hooks

from .viewsets import LevelTargetViewSet


@hooks.register("register_admin_viewset")
def register_level_targets():
    return LevelTargetViewSet()

"""Wagtail admin for the monthly study and service targets per management level.

Provinces set the numbers, so the list is not scoped to a unit: superusers change it and
unit administrators read it (the "Unit administrators" group has the view permission
only). The portal reads the numbers at run time (portal.people.selectors.target_for)."""

from django.utils.translation import gettext_lazy

from portal.viewsets import ScopedModelViewSet

from .models import LevelTarget


class LevelTargetViewSet(ScopedModelViewSet):
    model = LevelTarget
    name = "targets"
    url_namespace = "xy_targets"
    icon = "date"
    menu_label = gettext_lazy("Monthly targets")
    menu_order = 270
    add_to_admin_menu = True
    scope = staticmethod(lambda user: LevelTarget.objects.all())
    form_fields = ["level", "study_hours", "service_hours"]
    list_display = ["level", "study_hours", "service_hours", "updated_at"]
    ordering = ["level"]

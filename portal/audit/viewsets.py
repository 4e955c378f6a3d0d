"""The access log in the Wagtail admin: a listing with filters, nothing else.

Append-only by design (docs/domain.md rule 7): there is no add, edit or delete screen, and the
permission policy refuses those actions even to superusers. A unit administrator reads
the entries about their subtree (portal.access.access_log_visible_to)."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.permission_policies import ModelPermissionPolicy

from portal.access import access_log_visible_to
from portal.viewsets import ReadOnlyIndexViewSet

from .models import AccessLogEntry


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view" is ever granted; the log cannot be changed through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class AccessLogFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=gettext_lazy("Action"),
                                         choices=AccessLogEntry.Action.choices)
    at = django_filters.DateFromToRangeFilter(label=gettext_lazy("When"),
                                              widget=DateRangePickerWidget)
    what = django_filters.CharFilter(label=gettext_lazy("What"), lookup_expr="icontains")

    class Meta:
        model = AccessLogEntry
        fields = ["action", "at", "what"]


class AccessLogViewSet(ReadOnlyIndexViewSet):
    model = AccessLogEntry
    name = "access-log"
    url_namespace = "xy_access_log"
    icon = "history"
    menu_label = gettext_lazy("Access log")
    menu_order = 280
    add_to_admin_menu = True
    scope = staticmethod(access_log_visible_to)
    list_select_related = ("actor", "supervisee")
    filterset_class = AccessLogFilterSet
    list_display = ["at", "actor", "action", "supervisee", "what"]
    ordering = ["-at", "-pk"]
    list_per_page = 50

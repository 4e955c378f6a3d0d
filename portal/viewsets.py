"""Building blocks for the Wagtail admin of plain models.

Wagtail's generic views scope only the listing if you override the listing's queryset;
the edit, delete, history and usage views look objects up on their own. ScopedModelViewSet
sends every one of them through one scope function (user → QuerySet, from portal.access),
so a crafted URL to a row outside the scope answers 404, the same as a row that does not
exist. Which screens a role reaches is the Django permission check (see
portal.access.RolePermissionBackend); which rows it reaches there is the scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError, Q, RestrictedError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from portal.access import can_administer_units


class YesNoColumn(Column):
    """A true/false field as 是/否: Wagtail prints the bare value ("True") in a listing."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return "" if value is None else (_("Yes") if value else _("No"))


def yes_no_column(model, field_name: str) -> YesNoColumn:
    field = model._meta.get_field(field_name)
    return YesNoColumn(field_name, label=field.verbose_name, sort_key=field_name)


class _Scoped:
    """`scope` is passed in by the viewset: a function of the user returning the rows
    that user may manage."""

    scope = None
    list_select_related = ()

    def scoped_queryset(self):
        # Object views look their object up in setup(), before Wagtail's permission check
        # in dispatch(): check first, so a role without the screen is refused the same way
        # (back to the admin home) whether or not the id exists.
        if (self.permission_required
                and not self.user_has_permission(self.permission_required)) or (
                self.any_permission_required
                and not self.user_has_any_permission(self.any_permission_required)):
            raise PermissionDenied
        queryset = self.scope(self.request.user)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


class ScopedIndexView(_Scoped, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped_queryset()


class ScopedCreateView(_Scoped, generic.CreateView):
    pass


class ScopedEditView(_Scoped, generic.EditView):
    def get_queryset(self):
        return self.scoped_queryset()


class ScopedDeleteView(_Scoped, generic.DeleteView):
    """Deletes only rows in scope, and refuses (with a message, changing nothing) what the
    viewset's `delete_blocker` names a reason for, or what the database protects."""

    delete_blocker = None

    def get_queryset(self):
        return self.scoped_queryset()

    def blocked_reason(self):
        return self.delete_blocker(self.object) if self.delete_blocker else None

    def refuse(self, reason):
        messages.error(self.request, reason)
        return redirect(self.edit_url_name, self.object.pk) if self.edit_url_name else \
            redirect(self.index_url_name)

    def get(self, request, *args, **kwargs):
        reason = self.blocked_reason()
        if reason:
            return self.refuse(reason)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        reason = self.blocked_reason()
        if reason:
            return self.refuse(reason)
        try:
            return super().form_valid(form)
        except (ProtectedError, RestrictedError):
            return self.refuse(_("This is still in use elsewhere and cannot be deleted."))


class ScopedHistoryView(_Scoped, HistoryView):
    def get_base_object_queryset(self):
        return self.scoped_queryset()


class ScopedUsageView(_Scoped, UsageView):
    def get_base_object_queryset(self):
        return self.scoped_queryset()


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose every view is limited to `scope(user)`.

    Subclasses set `scope` (a function of the user, usually from portal.access) and may
    set `delete_blocker` (a function of the object returning a reason not to delete it,
    or None) and `list_select_related`."""

    scope = None
    delete_blocker = None
    list_select_related = ()

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    sort_order_field = None
    # These are plain records; no page or snippet points at them.
    add_to_reference_index = False

    def get_scope(self, user):
        return self.scope(user)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            scope=self.get_scope, list_select_related=self.list_select_related, **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(delete_blocker=self.delete_blocker, **kwargs)


class UnitScopedViewSet(ScopedModelViewSet):
    """For models governed by UnitAdministrationPolicy: their Django permissions mean
    nothing, so they are not offered in Wagtail's group editor either."""

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().none()


class ReadOnlyIndexViewSet(ScopedModelViewSet):
    """Only the (scoped, filterable) listing: no add, edit, delete, history or usage
    screens exist at all, so there is no URL to craft."""

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "delete_url_name", "history_url_name",
                     "usage_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def register_admin_url_finder(self):
        # No edit screen to point at.
        pass

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename__startswith="view_")


class UnitAdministrationPolicy(BasePermissionPolicy):
    """Permission policy for the unit-scoped models (units, partners, memberships):
    portal.access decides, not Django model permissions. Unit administrators and
    superusers may add, change, delete and view; per object, only inside `scope(user)`."""

    ACTIONS = frozenset({"add", "change", "delete", "view"})

    def __init__(self, model, scope):
        super().__init__(model)
        self.scope = scope

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and can_administer_units(user)

    def user_has_any_permission(self, user, actions):
        return bool(self.ACTIONS.intersection(actions)) and can_administer_units(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        from portal.organisations.models import Membership

        User = get_user_model()
        if not self.ACTIONS.intersection(actions):
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True) | Q(memberships__role=Membership.Role.UNIT_ADMIN),
            is_active=True,
        ).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        return (self.user_has_permission(user, action)
                and self.scope(user).filter(pk=instance.pk).exists())

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return self.scope(user)

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions)

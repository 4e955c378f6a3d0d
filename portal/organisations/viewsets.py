"""Wagtail admin for units, partner organisations and memberships.

A unit administrator manages the subtree of the units they administer and the partners
attached to it; a superuser manages everything. Rows come from portal.access in the
listing and in every object view (portal.viewsets), and the forms only offer units,
partners and accounts from the same scope, so nothing can be moved out of it either."""

from __future__ import annotations

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSetGroup

from portal.access import (
    Role,
    accounts_assignable_by,
    actor_for,
    memberships_managed_by,
    organisations_managed_by,
    units_administered_by,
)
from portal.viewsets import ScopedIndexView, UnitScopedViewSet, yes_no_column

from .models import Membership, Organisation, Unit


def _is_superuser(user) -> bool:
    return actor_for(user).has(Role.SUPERUSER)


# --- Units -----------------------------------------------------------------------------------

class UnitForm(WagtailAdminModelForm):
    """Name and contact details; on creation also the parent, among the units this user
    administers. Units are not moved once created (that would move their people too)."""

    parent = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=gettext_lazy("Parent unit"),
        help_text=gettext_lazy("The new unit is created below this one."),
    )

    class Meta:
        model = Unit
        fields = ["name", "kind", "district", "address", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["parent"]
            return
        parent = self.fields["parent"]
        parent.queryset = units_administered_by(self.for_user).order_by("path")
        parent.label_from_instance = _indented_name
        if _is_superuser(self.for_user):
            parent.help_text = _("Leave empty to create a top-level unit.")
        else:
            parent.required = True

    def save(self, commit=True):
        if self.instance.pk or not commit:
            return super().save(commit=commit)
        parent = self.cleaned_data.get("parent")
        # treebeard keeps the tree's paths: a node is created through its parent.
        if parent is None:
            self.instance = Unit.add_root(instance=self.instance)
        else:
            self.instance = parent.add_child(instance=self.instance)
        return self.instance


def _indented_name(unit) -> str:
    return "— " * (unit.depth - 1) + unit.name


def unit_delete_blocker(unit) -> str | None:
    if unit.get_children_count():
        return _("This unit has units below it; delete or keep those first.")
    if unit.supervisees.exists():
        return _("People under supervision belong to this unit; it cannot be deleted.")
    if unit.memberships.exists():
        return _("Staff still work in this unit; end their memberships first.")
    if unit.partners.exists():
        return _("Partner organisations are attached to this unit; move them first.")
    return None


class UnitIndexView(ScopedIndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        # The name indented by its depth, so the listing reads as the tree.
        columns[0].accessor = _indented_name
        return columns


class UnitViewSet(UnitScopedViewSet):
    model = Unit
    name = "units"
    url_namespace = "xy_units"
    icon = "site"
    menu_label = gettext_lazy("Units")
    index_view_class = UnitIndexView
    scope = staticmethod(units_administered_by)
    delete_blocker = staticmethod(unit_delete_blocker)
    list_select_related = ("district",)
    # Tree order: each unit right after its parent.
    ordering = ["path"]
    search_fields = ["name", "address"]
    list_filter = ["kind"]
    list_display = ["name", "kind", "district", "phone"]

    def get_form_class(self, for_update=False):
        return UnitForm


# --- Partner organisations -------------------------------------------------------------------

class OrganisationForm(WagtailAdminModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "summary", "district", "address", "contact_name",
                  "contact_phone", "website", "partner_unit", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partner_unit"]
        field.queryset = units_administered_by(self.for_user).order_by("path")
        field.label_from_instance = _indented_name
        # A unit administrator's partners hang off their own units; otherwise the partner
        # would leave their sight the moment it is saved.
        field.required = not _is_superuser(self.for_user)


def organisation_delete_blocker(organisation) -> str | None:
    if organisation.memberships.exists():
        return _("Staff still work for this partner; end their memberships first, or mark "
                 "the partner inactive instead.")
    return None


class OrganisationViewSet(UnitScopedViewSet):
    model = Organisation
    name = "partners"
    url_namespace = "xy_partners"
    icon = "group"
    menu_label = gettext_lazy("Partner organisations")
    scope = staticmethod(organisations_managed_by)
    delete_blocker = staticmethod(organisation_delete_blocker)
    list_select_related = ("partner_unit", "district")
    ordering = ["kind", "name"]
    search_fields = ["name", "contact_name"]
    list_filter = ["kind", "is_active"]
    list_display = ["name", "kind", "partner_unit", "contact_name",
                    yes_no_column(Organisation, "is_active")]

    def get_form_class(self, for_update=False):
        return OrganisationForm


# --- Memberships -----------------------------------------------------------------------------

class MembershipForm(WagtailAdminModelForm):
    """Who works where, in which role: a unit role in one of this administrator's units,
    or a partner role in one of their partners."""

    class Meta:
        model = Membership
        fields = ["user", "unit", "organisation", "role", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["user"].queryset = accounts_assignable_by(user).order_by("username")
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.get_username()})"
        self.fields["unit"].queryset = units_administered_by(user).order_by("path")
        self.fields["unit"].label_from_instance = _indented_name
        self.fields["organisation"].queryset = organisations_managed_by(user).order_by("name")
        if self.instance.pk:
            # A membership belongs to one person; give someone else a new one instead.
            self.fields["user"].disabled = True
            self.fields["user"].queryset = type(self.instance.user).objects.filter(
                pk=self.instance.user_id)

    def clean(self):
        cleaned = super().clean()
        unit, organisation, role = (cleaned.get("unit"), cleaned.get("organisation"),
                                    cleaned.get("role"))
        if bool(unit) == bool(organisation):
            raise forms.ValidationError(_("Choose either a unit or a partner organisation."))
        if unit and role not in Membership.UNIT_ROLES:
            self.add_error("role", _("In a unit, choose caseworker or unit administrator."))
        if organisation and role not in Membership.PARTNER_ROLES:
            self.add_error("role", _("In a partner organisation, choose partner staff or "
                                     "partner manager."))
        return cleaned


class MembershipViewSet(UnitScopedViewSet):
    model = Membership
    name = "memberships"
    url_namespace = "xy_memberships"
    icon = "user"
    menu_label = gettext_lazy("Memberships")
    scope = staticmethod(memberships_managed_by)
    list_select_related = ("user", "unit", "organisation")
    ordering = ["unit__path", "organisation__name", "user__username"]
    search_fields = ["user__username", "user__display_name", "title"]
    list_filter = ["role"]

    list_display = ["user", "role", "unit", "organisation", "title"]

    def get_form_class(self, for_update=False):
        return MembershipForm


class UnitAdministrationGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Units and partners")
    menu_icon = "site"
    menu_order = 250
    items = (UnitViewSet, OrganisationViewSet, MembershipViewSet)

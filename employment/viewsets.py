"""Wagtail admin for help agreements and training bases: unit administrators record them
for the enterprises attached to their units (portal.access.organisations_managed_by);
superusers for all. Every view is scoped (portal.viewsets), so another county's agreement
is 404. Enterprises manage their own jobs and training places on the portal's pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSetGroup

from portal.access import organisations_managed_by, units_administered_by
from portal.viewsets import UnitScopedViewSet, yes_no_column

from .models import ENTERPRISE, HelpAgreement, TrainingBase


def help_agreements_managed_by(user):
    return HelpAgreement.objects.filter(
        organisation__in=organisations_managed_by(user).values("pk"))


def training_bases_managed_by(user):
    return TrainingBase.objects.filter(
        organisation__in=organisations_managed_by(user).values("pk"))


def _enterprises(user):
    return organisations_managed_by(user).filter(kind=ENTERPRISE).order_by("name")


class HelpAgreementForm(WagtailAdminModelForm):
    class Meta:
        model = HelpAgreement
        fields = ["organisation", "unit", "signed_on", "starts_on", "ends_on",
                  "places_promised", "terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _enterprises(self.for_user)
        self.fields["unit"].queryset = units_administered_by(self.for_user).order_by("path")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The agreement must end after it starts."))
        return cleaned


class TrainingBaseForm(WagtailAdminModelForm):
    class Meta:
        model = TrainingBase
        fields = ["organisation", "name", "district", "address", "description", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _enterprises(self.for_user)


def training_base_delete_blocker(base) -> str | None:
    if base.training_places.exists():
        return _("Training places are held at this base; mark it inactive instead.")
    return None


class HelpAgreementViewSet(UnitScopedViewSet):
    model = HelpAgreement
    name = "help_agreements"
    url_namespace = "xy_help_agreements"
    icon = "doc-full"
    menu_label = gettext_lazy("Help agreements")
    scope = staticmethod(help_agreements_managed_by)
    list_select_related = ("organisation", "unit")
    ordering = ["-starts_on", "pk"]
    search_fields = ["organisation__name", "terms"]
    list_display = ["organisation", "unit", "starts_on", "ends_on", "places_promised"]

    def get_form_class(self, for_update=False):
        return HelpAgreementForm


class TrainingBaseViewSet(UnitScopedViewSet):
    model = TrainingBase
    name = "training_bases"
    url_namespace = "xy_training_bases"
    icon = "home"
    menu_label = gettext_lazy("Training bases")
    scope = staticmethod(training_bases_managed_by)
    delete_blocker = staticmethod(training_base_delete_blocker)
    list_select_related = ("organisation", "district")
    ordering = ["organisation__name", "name"]
    search_fields = ["name", "organisation__name", "address"]
    list_filter = ["is_active"]
    list_display = ["name", "organisation", "district", yes_no_column(TrainingBase, "is_active")]

    def get_form_class(self, for_update=False):
        return TrainingBaseForm


class EmploymentAdminGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Employment help")
    menu_icon = "doc-full"
    menu_order = 260
    items = (HelpAgreementViewSet, TrainingBaseViewSet)




"""Wagtail admin for the retention rule: how many years a unit keeps released persons'
identifying data (RetentionPolicy), and the read-only retention log.

A unit administrator sets the period for the units they administer (and the units below
them); a superuser for any unit. Their Django permissions come from the "Unit
administrators" group (portal/ops/migrations/0003, read by
portal.access.RolePermissionBackend); which rows they reach is portal.access's
units_administered_by, in the listing and in every object view (portal.viewsets), so a
crafted id of another unit's policy is 404. Caseworkers, partner staff and editors have no
permission here and are refused like on every other admin screen."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup

from portal.access import units_administered_by
from portal.viewsets import ReadOnlyIndexViewSet, ScopedModelViewSet

from .models import RetentionLogEntry, RetentionPolicy

MIN_YEARS = 1  # the model's check constraint (retention_at_least_one_year)
MAX_YEARS = 30


def retention_policies_managed_by(user):
    """The policies of the units `user` administers (all of them for a superuser)."""
    return RetentionPolicy.objects.filter(unit__in=units_administered_by(user))


def retention_log_visible_to(user):
    """The retention log about persons of the units `user` administers (all for a
    superuser)."""
    return RetentionLogEntry.objects.filter(supervisee__unit__in=units_administered_by(user))


def _indented_name(unit) -> str:
    return "— " * (unit.depth - 1) + unit.name


class RetentionPolicyForm(WagtailAdminModelForm):
    """The period in whole years; on creation also the unit, among the units this user
    administers that have no policy of their own yet. A policy stays with its unit."""

    class Meta:
        model = RetentionPolicy
        fields = ["unit", "years_after_release"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = self.fields["years_after_release"]
        # One message for every number out of range (clean_years_after_release), rather
        # than the field's own "greater than or equal to 0".
        years.validators = [v for v in years.validators
                            if not isinstance(v, MinValueValidator | MaxValueValidator)]
        years.widget.attrs.update(min=MIN_YEARS, max=MAX_YEARS)
        years.help_text = _(
            "Personal identifiers of released persons are anonymised this many years after "
            "their release (%(min)s to %(max)s). Units below this one follow it unless they "
            "have a period of their own.") % {"min": MIN_YEARS, "max": MAX_YEARS}
        if self.instance.pk:
            del self.fields["unit"]
            return
        unit = self.fields["unit"]
        unit.queryset = (units_administered_by(self.for_user)
                         .filter(retention_policy__isnull=True).order_by("path"))
        unit.label_from_instance = _indented_name
        unit.help_text = _("Only units without a period of their own are listed; change an "
                           "existing period from the list.")

    def clean_years_after_release(self):
        years = self.cleaned_data["years_after_release"]
        if years is None or not MIN_YEARS <= years <= MAX_YEARS:
            raise forms.ValidationError(
                _("Enter a number of years from %(min)s to %(max)s."),
                code="out_of_range", params={"min": MIN_YEARS, "max": MAX_YEARS})
        return years


class RetentionPolicyViewSet(ScopedModelViewSet):
    model = RetentionPolicy
    name = "retention"
    url_namespace = "xy_retention"
    icon = "time"
    menu_label = gettext_lazy("Retention periods")
    scope = staticmethod(retention_policies_managed_by)
    list_select_related = ("unit",)
    list_display = ["unit", "years_after_release", "updated_at"]
    ordering = ["unit__path"]

    def get_form_class(self, for_update=False):
        return RetentionPolicyForm


class RetentionLogFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=gettext_lazy("Action"),
                                         choices=RetentionLogEntry.Action.choices)
    at = django_filters.DateFromToRangeFilter(label=gettext_lazy("When"),
                                              widget=DateRangePickerWidget)

    class Meta:
        model = RetentionLogEntry
        fields = ["action", "at"]


class RetentionLogViewSet(ReadOnlyIndexViewSet):
    """Append-only: a listing with filters, nothing else (see ReadOnlyPermissionPolicy)."""

    model = RetentionLogEntry
    name = "retention-log"
    url_namespace = "xy_retention_log"
    icon = "history"
    menu_label = gettext_lazy("Retention log")
    scope = staticmethod(retention_log_visible_to)
    list_select_related = ("supervisee", "actor")
    filterset_class = RetentionLogFilterSet
    list_display = ["at", "supervisee", "action", "what", "rule", "actor"]
    ordering = ["-at", "-pk"]
    list_per_page = 50


class RetentionViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Data retention")
    menu_icon = "time"
    menu_order = 285
    items = (RetentionPolicyViewSet, RetentionLogViewSet)

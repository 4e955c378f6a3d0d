"""The caseload's filters (the caseworker's list at /people/). Values that do not parse
(an unknown unit or level, a date like 2024-13-45) are reported beside the filter and
otherwise ignored: django-filter applies only what validated."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import units_visible_to
from portal.organisations.models import Unit
from portal.people.forms import UnitChoiceField
from portal.people.models import ManagementLevel, Supervisee
from portal.people.selectors import caseload_for

from .selectors import (
    behind_q,
    has_open_referral_q,
    with_month_standing,
    with_open_referrals,
)

ENDING_SOON_DAYS = 30


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class TickBox(forms.CheckboxInput):
    """A checkbox that hands the raw value to its field, so `mine=banana` is reported as
    not understood instead of being read as ticked."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda v: str(v).lower() in TickField.TRUE)

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class TickField(forms.Field):
    widget = TickBox
    TRUE = ("on", "1", "true", "yes")

    def to_python(self, value):
        if value in (None, "", "0", "false", "off"):
            return False
        if str(value).lower() in self.TRUE:
            return True
        raise forms.ValidationError(_("Tick the box or leave it empty."), code="invalid")


class TickFilter(django_filters.Filter):
    field_class = TickField


class CaseloadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"), method="filter_name",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or alias")}),
    )
    unit = UnitFilter(label=_("Unit"), queryset=Unit.objects.none(), method="filter_unit",
                      empty_label=_("All my units"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=ManagementLevel.choices,
                                        empty_label=_("Any level"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Supervisee.Status.choices,
                                         empty_label=_("Any status"))
    juvenile = django_filters.ChoiceFilter(
        label=_("Age group"), method="filter_juvenile", empty_label=_("Adults and juveniles"),
        choices=[("yes", _("Juveniles only")), ("no", _("Adults only"))],
    )
    mine = TickFilter(label=_("Only people assigned to me"), method="filter_mine")
    ending_soon = TickFilter(label=_("Term ends within 30 days"), method="filter_ending_soon")
    behind = TickFilter(label=_("Behind on study or service this month"),
                        method="filter_behind")
    open_referrals = TickFilter(label=_("With open referrals"), method="filter_open_referrals")
    order = django_filters.OrderingFilter(
        label=_("Sort by"), empty_label=None,
        fields=(("legal_name", "name"), ("term_end", "term_end")),
        field_labels={"legal_name": _("Name"), "-name": _("Name, reversed"),
                      "term_end": _("Term ends, soonest first"),
                      "-term_end": _("Term ends, latest first")},
    )

    class Meta:
        model = Supervisee
        fields = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user
        self.filters["unit"].queryset = units_visible_to(user).order_by("path")

    def unit_options(self) -> list:
        """The unit select's options, read once: the form shows them and the caseload
        keys its cached filter form on them (they differ between viewers)."""
        field = self.form.fields["unit"]
        options = [("", field.empty_label), *(
            (unit.pk, field.label_from_instance(unit))
            for unit in field.queryset.only("pk", "name", "depth"))]
        field.widget.choices = options
        return options

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(legal_name__icontains=value) | Q(alias__icontains=value))

    def filter_unit(self, queryset, name, unit):
        # A unit means that unit and the units below it: the bureau lists the county.
        return queryset.filter(unit.subtree_q("unit__")) if unit else queryset

    def filter_juvenile(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(is_juvenile=True)
        if value == "no":
            return queryset.filter(is_juvenile=False)
        return queryset

    def filter_mine(self, queryset, name, value):
        return queryset.filter(caseworker=self.user) if value else queryset

    def filter_ending_soon(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            status=Supervisee.Status.IN_CORRECTION,
            term_end__range=(today, today + datetime.timedelta(days=ENDING_SOON_DAYS)),
        )

    def filter_behind(self, queryset, name, value):
        """Short of this month's study or service target, pro rata to today (the targets
        per management level, people.LevelTarget)."""
        if not value:
            return queryset
        if "study_month" not in queryset.query.annotations:
            queryset = with_month_standing(queryset)
        return queryset.filter(behind_q())

    def filter_open_referrals(self, queryset, name, value):
        return queryset.filter(has_open_referral_q()) if value else queryset


def caseload_filterset(user, data) -> CaseloadFilter:
    """The caseload with each person's standing this month and open referrals as
    annotations, so the rows are one query whatever their number."""
    qs = with_open_referrals(with_month_standing(caseload_for(user)))
    return CaseloadFilter(data or None, queryset=qs, user=user)

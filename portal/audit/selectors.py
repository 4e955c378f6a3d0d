"""Reading the access log. Who may read which entries is decided in portal.access
(access_log_visible_to); these only shape the lists."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import access_log_visible_to, unit_staff, units_administered_by
from portal.widgets import DateInput

from .models import AccessLogEntry


class AccessLogFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        label=_("Person"), method="filter_person",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or alias")}),
    )
    staff = django_filters.ModelChoiceFilter(
        label=_("Staff member"), field_name="actor", queryset=None,
        empty_label=_("Anyone"),
    )
    date_from = django_filters.DateFilter(label=_("From"), field_name="at",
                                          lookup_expr="date__gte", widget=DateInput)
    date_to = django_filters.DateFilter(label=_("Until"), field_name="at",
                                        lookup_expr="date__lte", widget=DateInput)

    class Meta:
        model = AccessLogEntry
        fields = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["staff"].queryset = unit_staff(units_administered_by(user))

    def filter_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(supervisee__legal_name__icontains=value)
                               | Q(supervisee__alias__icontains=value))


def access_log_filter(user, data) -> AccessLogFilter:
    """The unit-wide access log for `user` (none for anyone but administrators)."""
    qs = access_log_visible_to(user).select_related("actor", "supervisee")
    return AccessLogFilter(data or None, queryset=qs, user=user)


def entries_for_supervisee(supervisee):
    """Every logged read and change of one person's record, newest first. The caller has
    opened the record through portal.access.supervisee_for_staff."""
    return AccessLogEntry.objects.filter(supervisee=supervisee).select_related("actor")

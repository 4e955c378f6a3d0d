import datetime

import django_filters
from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.taxonomy.models import District, Skill

from .models import Activity, ServiceKind, Theme


class ActivityFilter(django_filters.FilterSet):
    """Browsing activities: theme, kind, district, dates, skills, places left. The same
    filter serves the web list and the API (whose parameter names are the field names);
    themes, districts and skills are named by their stable codes."""

    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.filter(is_active=True), label=_("Theme"), to_field_name="code",
        empty_label=_("Any theme"))
    kind = django_filters.ChoiceFilter(choices=ServiceKind.choices, label=_("Kind"),
                                       empty_label=_("Either kind"))
    district = django_filters.ModelChoiceFilter(queryset=District.objects.all(),
                                                label=_("District"), to_field_name="code",
                                                empty_label=_("Any district"))
    date_from = django_filters.DateFilter(
        method="filter_date_from", label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(
        method="filter_date_to", label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}))
    skills = django_filters.ModelMultipleChoiceFilter(
        queryset=Skill.objects.all(), label=_("Skills wanted"), method="filter_skills",
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple)
    places_left = django_filters.BooleanFilter(
        method="filter_places_left", label=_("Only with places left"),
        widget=forms.CheckboxInput)

    class Meta:
        model = Activity
        fields = ["theme", "kind", "district"]

    # Whole days in the portal's time zone (Asia/Shanghai), as ranges the index can use.
    def filter_date_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=_day_start(value)) if value else queryset

    def filter_date_to(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(starts_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def filter_skills(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(skills__in=value).distinct()

    def filter_places_left(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(places_taken__lt=F("capacity"))


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min),
                               timezone.get_default_timezone())

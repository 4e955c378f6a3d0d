"""Catalogue filters (django-filter): category, format, time of day, weekday, provider,
suitable for juveniles, and a text search."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Audience, ClassSession, CourseCategory, CourseFormat, CoursePage

TIME_OF_DAY = {
    # hour ranges in Asia/Shanghai, [start, end)
    "morning": (0, 12),
    "afternoon": (12, 18),
    "evening": (18, 24),
}

# Django's week_day lookup: 1 = Sunday … 7 = Saturday.
DAYS = {
    "weekday": [2, 3, 4, 5, 6],
    "weekend": [1, 7],
    "mon": [2], "tue": [3], "wed": [4], "thu": [5], "fri": [6], "sat": [7], "sun": [1],
}


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q",
                                  widget=forms.TextInput(attrs={"type": "search"}))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), field_name="category", to_field_name="slug",
        queryset=CourseCategory.objects.all(), empty_label=_("All categories"))
    format = django_filters.ChoiceFilter(
        label=_("Format"), method="filter_format", empty_label=_("Online or in person"),
        choices=[(CourseFormat.ONLINE, _("Online")), (CourseFormat.IN_PERSON, _("In person"))])
    time = django_filters.ChoiceFilter(
        label=_("Time of day"), method="filter_time", empty_label=_("Any time"),
        choices=[("morning", _("Morning")), ("afternoon", _("Afternoon")),
                 ("evening", _("Evening (after 18:00)")),
                 ("anytime", _("Whenever I like (online)"))])
    day = django_filters.ChoiceFilter(
        label=_("Day"), method="filter_day", empty_label=_("Any day"),
        choices=[("weekday", _("Weekdays")), ("weekend", _("Weekends")),
                 ("mon", _("Monday")), ("tue", _("Tuesday")), ("wed", _("Wednesday")),
                 ("thu", _("Thursday")), ("fri", _("Friday")), ("sat", _("Saturday")),
                 ("sun", _("Sunday"))])
    provider = django_filters.ChoiceFilter(label=_("Provider"), method="filter_provider",
                                           empty_label=_("Any provider"))
    juveniles = django_filters.BooleanFilter(
        label=_("Suitable for juveniles"), method="filter_juveniles",
        widget=forms.CheckboxInput)

    class Meta:
        model = CoursePage
        fields = []

    def __init__(self, *args, provider_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["provider"].extra["choices"] = list(provider_choices)

    @staticmethod
    def _upcoming(**lookups):
        return Exists(ClassSession.objects.filter(
            course=OuterRef("pk"), status=ClassSession.Status.SCHEDULED,
            starts_at__gte=timezone.now(), **lookups))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value)
                               | Q(search_description__icontains=value))

    def filter_format(self, queryset, name, value):
        if value == CourseFormat.ONLINE:
            return queryset.filter(format__in=[CourseFormat.ONLINE, CourseFormat.BLENDED])
        if value == CourseFormat.IN_PERSON:
            return queryset.filter(format__in=[CourseFormat.IN_PERSON, CourseFormat.BLENDED])
        return queryset

    def filter_time(self, queryset, name, value):
        if value == "anytime":
            return queryset.filter(format__in=[CourseFormat.ONLINE, CourseFormat.BLENDED])
        if value in TIME_OF_DAY:
            start, end = TIME_OF_DAY[value]
            # __hour is evaluated in the current time zone (Asia/Shanghai).
            return queryset.filter(self._upcoming(starts_at__hour__gte=start,
                                                  starts_at__hour__lt=end))
        return queryset

    def filter_day(self, queryset, name, value):
        if value in DAYS:
            return queryset.filter(self._upcoming(starts_at__week_day__in=DAYS[value]))
        return queryset

    def filter_provider(self, queryset, name, value):
        kind, _sep, pk = (value or "").partition("-")
        if not pk.isdigit():
            return queryset
        if kind == "unit":
            return queryset.filter(provider_unit_id=int(pk))
        if kind == "org":
            return queryset.filter(provider_organisation_id=int(pk))
        return queryset

    def filter_juveniles(self, queryset, name, value):
        if value:
            return queryset.filter(audience__in=[Audience.ALL, Audience.JUVENILES])
        return queryset

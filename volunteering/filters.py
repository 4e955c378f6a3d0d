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


# --- The empty filter form, rendered once ---------------------------------------------------
#
# Rendering the form's selects (every theme, district and skill, one option template each)
# was half the activity list's time, and their three queries are the same for everyone. The
# empty form's HTML is cached per language (one entry holding every language);
# volunteering.signals forgets it whenever a theme, a district or a skill is saved or
# deleted, and it expires after FORM_CACHE_SECONDS anyway (bulk updates send no signal).
# A form with the visitor's choices in it is rendered as before.

FORM_CACHE_SECONDS = 300
FORM_CACHE_KEY = "xy:volunteering:filter-form"


def filter_form_html(filterset: ActivityFilter) -> str:
    from django.core.cache import cache
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    form = filterset.form
    if form.is_bound:
        return form.as_p()
    language = get_language() or ""
    rendered = cache.get(FORM_CACHE_KEY) or {}
    html = rendered.get(language)
    if html is None:
        html = str(form.as_p())
        cache.set(FORM_CACHE_KEY, {**rendered, language: html}, FORM_CACHE_SECONDS)
    return mark_safe(html)  # the form's own rendering, escaped when it was rendered


def forget_filter_form(**_kwargs) -> None:
    from django.core.cache import cache
    from django.db import transaction

    cache.delete(FORM_CACHE_KEY)
    # A reader between now and the commit could cache the old form again.
    transaction.on_commit(lambda: cache.delete(FORM_CACHE_KEY))

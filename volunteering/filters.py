import datetime
import os

import django_filters
from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.taxonomy.models import District, Skill
from portal.widgets import DateInput

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
        widget=DateInput())
    date_to = django_filters.DateFilter(
        method="filter_date_to", label=_("Until"),
        widget=DateInput())
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


# --- The empty filter form, cached ------------------------------------------------------
#
# The empty form lists every theme, district and skill, the same for every visitor (or,
# for a person in correction, for everyone of their county: selectors.area_districts). Its
# HTML is kept in Django's cache under a generation that a save or delete of a theme, a
# district or a skill moves on (volunteering.signals); it expires anyway, as bulk updates
# send no signal. A form with the visitor's choices in it is rendered each time.

FORM_CACHE_SECONDS = 300
FORM_CACHE_KEY = "xy:volunteering:filter-form"
FORM_GENERATION_KEY = "xy:volunteering:filter-form:generation"


def filter_form_html(filterset: ActivityFilter) -> str:
    form = filterset.form
    if form.is_bound:
        return form.as_p()
    return _empty_form_html(getattr(filterset, "area_key", None), lambda: form)


def empty_filter_form_html(area: tuple | None) -> str:
    """The empty form for a visitor offered activities in the districts `area` names
    (selectors.area_districts), or in any district when it is None; the filter set is made
    only when the form is not cached already."""
    from .selectors import limit_districts

    def form():
        made = ActivityFilter(None, queryset=Activity.objects.none()).form
        if area is not None:
            limit_districts(made, area)
        return made

    return _empty_form_html(None if area is None else area[1], form)


def _empty_form_html(area_key: tuple | None, form) -> str:
    """The cached HTML of the empty form `form()` makes, per language and area."""
    from django.core.cache import cache
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    area = "all" if area_key is None else f"{area_key[0]}:{','.join(map(str, area_key[1]))}"
    generation = cache.get(FORM_GENERATION_KEY) or 0
    key = f"{FORM_CACHE_KEY}:{generation}:{get_language() or ''}:{area}"
    html = cache.get(key)
    if html is None:
        html = str(form().as_p())
        cache.set(key, html, FORM_CACHE_SECONDS)
    return mark_safe(html)  # the form's own rendering, escaped when it was rendered


def forget_filter_form(**_kwargs) -> None:
    """Move the cached forms' generation on, now and again at commit (a reader in between
    could have cached the old form under the new generation)."""
    from django.core.cache import cache
    from django.db import transaction

    def forget():
        cache.set(FORM_GENERATION_KEY, os.urandom(6).hex(), None)

    forget()
    transaction.on_commit(forget)

import uuid

import django_filters
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.taxonomy.models import District, Industry

from .models import Job, Shift

OPTIONS_VERSION = "employment:board-options:version"


def options_changed(**kwargs) -> None:
    """A district or an industry was written: the cached option lists are stale."""
    cache.set(OPTIONS_VERSION, uuid.uuid4().hex, None)


def board_options() -> dict:
    """The board's counties, districts (grouped by county) and industries, kept in the
    cache under a version that options_changed replaces."""
    version = cache.get_or_set(OPTIONS_VERSION, uuid.uuid4().hex, None)
    key = f"employment:board-options:{version}"
    found = cache.get(key)
    if found is None:
        groups: dict[str, list] = {}
        for code, name, county in District.objects.order_by(
                "county", "sort_order").values_list("code", "name", "county"):
            groups.setdefault(county, []).append((code, name))
        found = {"districts": list(groups.items()),
                 "industries": list(Industry.objects.values_list("code", "name"))}
        cache.set(key, found, None)
    return found


class JobFilter(django_filters.FilterSet):
    """The staff job board: district, industry, shift, juveniles, words in the title. Bad
    values are ignored (and named by the form), never a 500."""

    q = django_filters.CharFilter(method="filter_q", label=_("Words in the title"))
    county = django_filters.ChoiceFilter(
        field_name="district__county", label=_("County"), empty_label=_("Any county"),
        choices=lambda: [(c, c) for c, _districts in board_options()["districts"]])
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.order_by("county", "sort_order"), label=_("District"),
        to_field_name="code", empty_label=_("Any district"))
    industry = django_filters.ModelChoiceFilter(
        queryset=Industry.objects.all(), label=_("Industry"), to_field_name="code",
        empty_label=_("Any industry"))
    shift = django_filters.ChoiceFilter(choices=Shift.choices, label=_("Shift"),
                                        empty_label=_("Any shift"))
    juveniles_allowed = django_filters.BooleanFilter(
        label=_("Open to 16- and 17-year-olds"),
        widget=django_filters.widgets.BooleanWidget)

    class Meta:
        model = Job
        fields = ["county", "district", "industry", "shift", "juveniles_allowed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The selects' options come from the cache (what is a valid choice is still
        # each field's queryset); districts are grouped by county.
        district = self.form.fields["district"]
        district.widget.choices = lambda: [("", district.empty_label),
                                           *board_options()["districts"]]
        industry = self.form.fields["industry"]
        industry.widget.choices = lambda: [("", industry.empty_label),
                                           *board_options()["industries"]]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()[:50]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(organisation__name__icontains=value))

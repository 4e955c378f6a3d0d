import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.taxonomy.models import District, Industry

from .models import Job, Shift


class JobFilter(django_filters.FilterSet):
    """The staff job board: district, industry, shift, juveniles, words in the title. Bad
    values are ignored (and named by the form), never a 500."""

    q = django_filters.CharFilter(method="filter_q", label=_("Words in the title"))
    county = django_filters.ChoiceFilter(
        field_name="district__county", label=_("County"), empty_label=_("Any county"),
        choices=lambda: [(c, c) for c in District.objects.order_by("county")
                         .values_list("county", flat=True).distinct()])
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
        # A province has hundreds of districts: grouped by county in the select (what is
        # a valid choice is still the field's queryset).
        field = self.form.fields["district"]

        def grouped():  # when the select is rendered, not before (it may be kept)
            groups: dict[str, list] = {}
            for district in field.queryset:
                groups.setdefault(district.county, []).append((district.code, district.name))
            return [("", field.empty_label), *groups.items()]

        field.widget.choices = grouped

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()[:50]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(organisation__name__icontains=value))

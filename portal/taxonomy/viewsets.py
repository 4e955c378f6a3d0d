"""Wagtail admin for the controlled lists (districts, skills, industries, venue types).

They are province-wide, so there is no unit scope: who may read or change them is the
Django permission (superusers change them; unit administrators read them, see the
"Unit administrators" group)."""

from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.model import ModelViewSetGroup

from portal.viewsets import ScopedModelViewSet

from .models import District, Industry, Skill, VenueType


def _all(model):
    return staticmethod(lambda user: model.objects.all())


class TermViewSet(ScopedModelViewSet):
    form_fields = ["name", "name_en", "code", "sort_order"]
    list_display = ["name", "name_en", "code", "sort_order"]
    search_fields = ["name", "name_en", "code"]
    ordering = ["sort_order", "name"]
    icon = "list-ul"


class DistrictViewSet(TermViewSet):
    model = District
    name = "districts"
    url_namespace = "xy_districts"
    menu_label = gettext_lazy("Districts")
    scope = _all(District)
    form_fields = ["name", "name_en", "code", "county", "sort_order"]
    list_display = ["name", "county", "code", "sort_order"]
    list_filter = ["county"]


class SkillViewSet(TermViewSet):
    model = Skill
    name = "skills"
    url_namespace = "xy_skills"
    menu_label = gettext_lazy("Skills")
    scope = _all(Skill)


class IndustryViewSet(TermViewSet):
    model = Industry
    name = "industries"
    url_namespace = "xy_industries"
    menu_label = gettext_lazy("Industries")
    scope = _all(Industry)


class VenueTypeViewSet(TermViewSet):
    model = VenueType
    name = "venue-types"
    url_namespace = "xy_venue_types"
    menu_label = gettext_lazy("Venue types")
    scope = _all(VenueType)


class TaxonomyGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Lists")
    menu_icon = "list-ul"
    menu_order = 260
    items = (DistrictViewSet, SkillViewSet, IndustryViewSet, VenueTypeViewSet)

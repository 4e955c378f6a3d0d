"""The code lists a client needs to post or filter activities without the portal's pages:
themes, districts, skills, venue types and activity kinds, each code with its Chinese and
English name."""

from django.utils import translation
from ninja import Router

from portal.api.errors import errors
from portal.api.schemas import Out
from portal.taxonomy.models import District, Skill, VenueType
from volunteering.models import ServiceKind, Theme

router = Router(tags=["codes"])


class CodeOut(Out):
    code: str
    name: str
    name_en: str


class CodesOut(Out):
    themes: list[CodeOut]
    districts: list[CodeOut]
    skills: list[CodeOut]
    venue_types: list[CodeOut]
    kinds: list[CodeOut]


def _terms(queryset) -> list[dict]:
    return [{"code": code, "name": name, "name_en": name_en or name}
            for code, name, name_en in queryset.values_list("code", "name", "name_en")]


def _choices(choices) -> list[dict]:
    out = []
    for value, label in choices:
        with translation.override("zh-hans"):
            name = str(label)
        with translation.override("en"):
            name_en = str(label)
        out.append({"code": value, "name": name, "name_en": name_en})
    return out


@router.get("/codes", url_name="codes", response={200: CodesOut, **errors(401)},
            summary="Code lists")
def codes(request):
    """Every code `POST /activities` and the activity filters take: `themes` (those in
    use), `districts`, `skills`, `venue_types` and `kinds`, each `{code, name, name_en}`
    in the lists' order. Five small queries, the same for every caller."""
    return {
        "themes": _terms(Theme.objects.filter(is_active=True)),
        "districts": _terms(District.objects.all()),
        "skills": _terms(Skill.objects.all()),
        "venue_types": _terms(VenueType.objects.all()),
        "kinds": _choices(ServiceKind.choices),
    }

"""GET /api/v1/codes: the code lists a mobile client needs to post an activity from the API
alone; and a partner with one organisation need not name it (docs/API.md)."""

import datetime

from django.utils import timezone

from tests.api.conftest import Api, assert_error
from tests.volunteering.conftest import make_svc
from volunteering.models import Activity


def test_codes_list_themes_districts_skills_venues_and_kinds_in_two_languages(world, client):
    svc = make_svc(world)
    api = Api(client)
    assert_error(api.get("/codes"), 401, "not_authenticated")
    api.sign_in("ngo")
    body = api.get("/codes").json()
    assert set(body) == {"themes", "districts", "skills", "venue_types", "kinds"}
    assert {"code": "town-a", "name": "城关镇", "name_en": "城关镇"} in body["districts"]
    assert any(t["code"] == svc.theme.code for t in body["themes"])
    kinds = {k["code"]: k for k in body["kinds"]}
    assert kinds["volunteer_service"]["name"] == "志愿服务"
    assert kinds["volunteer_service"]["name_en"] == "Volunteer service"


def test_a_partner_with_one_organisation_posts_without_naming_it(world, client):
    svc = make_svc(world)
    api = Api(client)
    api.sign_in("ngo")
    starts = timezone.localtime() + datetime.timedelta(days=4)
    body = {
        "title": "敬老院陪伴", "theme": svc.theme.code, "kind": "volunteer_service",
        "place": "敬老院", "district": "town-a", "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=2)).isoformat(),
        "signup_deadline": (starts - datetime.timedelta(days=1)).isoformat(),
        "capacity": 5, "hours": "2",
    }
    response = api.post("/activities", body)
    assert response.status_code == 201, response.content
    assert Activity.objects.get().organisation == world.ngo
    # An unknown code is named by the field's Chinese label, not its JSON key.
    response = api.post("/activities", {**body, "theme": "nope"})
    assert_error(response, 422, "invalid")
    assert response.json()["detail"] == "未知的活动主题：nope"
    assert Activity.objects.count() == 1

"""GET /api/v1/me for every role of the world: one's own profile and nothing else."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.people.models import LevelTarget
from tests.api.conftest import assert_error

SUPERVISEE_NAMES = ("李明", "王强", "赵小军")


def _me(login, api, user):
    login(user)
    response = api.get("/me")
    assert response.status_code == 200, response.content
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    # Nobody's record but the caller's own ever appears, and legal names never do.
    for name in SUPERVISEE_NAMES:
        assert name not in text
    return body


def test_anonymous_is_401(db, api):
    assert_error(api.get("/me"), 401, "not_authenticated")


def test_supervisee_sees_own_term_status_and_targets(world, login, api):
    body = _me(login, api, world.users["supervisee"])
    record = world.supervisee
    assert body["role"] == "supervisee"
    assert body["roles"] == ["supervisee"]
    assert body["unit"] == "第一中队"
    assert body["organisations"] == []
    assert body["supervision"]["status"] == "in_correction"
    assert body["supervision"]["level"] == "ordinary"
    assert body["supervision"]["term_start"] == record.term_start.isoformat()
    assert body["supervision"]["term_end"] == record.term_end.isoformat()
    assert body["supervision"]["days_left"] == record.days_left()
    target = LevelTarget.objects.get(level="ordinary")
    assert body["targets"] == {
        "month": timezone.localdate().strftime("%Y-%m"),
        "study_hours": float(target.study_hours),
        "service_hours": float(target.service_hours),
    }


def test_targets_follow_the_level_and_the_admins_numbers(world, login, api):
    LevelTarget.objects.filter(level="strict").update(study_hours=Decimal("12.5"),
                                                      service_hours=Decimal("14"))
    body = _me(login, api, world.users["other_supervisee"])
    assert body["supervision"]["level"] == "strict"
    assert body["targets"]["study_hours"] == 12.5
    assert body["targets"]["service_hours"] == 14.0
    assert body["unit"] == "第二中队"


def test_juvenile_sees_own_record(world, login, api):
    body = _me(login, api, world.users["juvenile"])
    assert body["role"] == "supervisee"
    assert body["supervision"] is not None


@pytest.mark.parametrize("role,expected_role,unit", [
    ("caseworker", "caseworker", "第一中队"),
    ("other_caseworker", "caseworker", "第二中队"),
    ("unit_admin", "unit_admin", "示范县司法局"),
    ("editor", "editor", None),
    ("superuser", "superuser", None),
])
def test_staff_see_their_role_and_unit_but_no_record(world, login, api, role, expected_role,
                                                     unit):
    body = _me(login, api, world.users[role])
    assert body["role"] == expected_role
    assert body["unit"] == unit
    assert body["organisations"] == []
    assert body["supervision"] is None
    assert body["targets"] is None


@pytest.mark.parametrize("role,organisation", [("ngo", "阳光社工"), ("enterprise", "金银花产业园")])
def test_partner_staff_see_their_organisation_only(world, login, api, role, organisation):
    body = _me(login, api, world.users[role])
    assert body["role"] == "partner_staff"
    assert [o["name"] for o in body["organisations"]] == [organisation]
    assert body["unit"] is None
    assert body["supervision"] is None
    assert body["targets"] is None


def test_bearer_and_session_give_the_same_profile(world, login, api):
    session_body = _me(login, api, world.users["supervisee"])
    api.client.logout()
    api.sign_in("supervisee")
    assert api.get("/me").json() == session_body

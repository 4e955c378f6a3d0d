"""Editing a record with its prohibition orders, occupational bans and travel approvals."""

import pytest
from django.urls import reverse

from portal.audit.models import AccessLogEntry
from portal.people.models import ProhibitionOrder, Supervisee, TravelApproval
from tests import factories as f


def edit_url(s):
    return reverse("people:edit", args=[s.pk])


@pytest.fixture
def terms(db):
    return {"venue": f.VenueTypeFactory(name="酒吧"), "industry": f.IndustryFactory(name="教育"),
            "district": f.DistrictFactory(name="外县")}


def test_edit_form_is_logged_and_prefilled(world, login):
    response = login(world.users["caseworker"]).get(edit_url(world.supervisee))
    assert response.status_code == 200
    assert response.context["form"].initial["legal_name"] == "李明"
    assert [fs.prefix for fs in response.context["formsets"]] == ["prohibitions", "bans", "travel"]
    assert AccessLogEntry.objects.filter(supervisee=world.supervisee, action="view").count() == 1


def test_edit_saves_fields_and_restrictions_and_logs_what_changed(world, login, payload, terms):
    client = login(world.users["caseworker"])
    data = payload(client.get(edit_url(world.supervisee)))
    data.update({
        "level": "strict", "alias": "小明",
        "prohibitions-0-kind": "venue_type", "prohibitions-0-venue_type": terms["venue"].pk,
        "prohibitions-0-description": "禁止进入酒吧", "prohibitions-0-starts_on": "2025-01-01",
        "bans-0-industry": terms["industry"].pk, "bans-0-starts_on": "2025-01-01",
        "bans-0-ends_on": "2027-01-01",
        "travel-0-destination": terms["district"].pk, "travel-0-reason": "探望母亲",
        "travel-0-starts_on": "2025-03-01", "travel-0-ends_on": "2025-03-05",
    })
    response = client.post(edit_url(world.supervisee), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    world.supervisee.refresh_from_db()
    assert world.supervisee.level == "strict" and world.supervisee.alias == "小明"
    order = world.supervisee.prohibitions.get()
    assert order.venue_type == terms["venue"]
    assert world.supervisee.occupational_bans.get().industry == terms["industry"]
    travel = world.supervisee.travel_approvals.get()
    assert travel.approved_by == world.users["caseworker"]
    edit = AccessLogEntry.objects.get(supervisee=world.supervisee, action="edit")
    assert str(Supervisee._meta.get_field("level").verbose_name) in edit.what
    assert str(ProhibitionOrder._meta.verbose_name_plural) in edit.what


def test_restriction_rows_can_be_removed(world, login, payload, terms):
    world.supervisee.prohibitions.create(kind="place", description="某小学门口",
                                         starts_on="2025-01-01")
    client = login(world.users["caseworker"])
    data = payload(client.get(edit_url(world.supervisee)))
    data["prohibitions-0-DELETE"] = "on"
    assert client.post(edit_url(world.supervisee), data).status_code == 302
    assert not world.supervisee.prohibitions.exists()


@pytest.mark.parametrize("bad, field", [
    ({"prohibitions-0-kind": "venue_type", "prohibitions-0-description": "酒吧",
      "prohibitions-0-starts_on": "2025-01-01"}, "venue_type"),
    ({"prohibitions-0-kind": "place", "prohibitions-0-description": "学校",
      "prohibitions-0-starts_on": "2025-05-01", "prohibitions-0-ends_on": "2025-04-01"},
     "ends_on"),
    ({"travel-0-destination": "DISTRICT", "travel-0-reason": "出差",
      "travel-0-starts_on": "2025-05-01"}, "ends_on"),
    ({"bans-0-industry": "99999", "bans-0-starts_on": "2025-05-01"}, "industry"),
])
def test_invalid_restrictions_rerender_and_change_nothing(world, login, payload, terms, bad, field):
    client = login(world.users["caseworker"])
    data = payload(client.get(edit_url(world.supervisee)))
    data["legal_name"] = "改名"
    data.update({k: (terms["district"].pk if v == "DISTRICT" else v) for k, v in bad.items()})
    response = client.post(edit_url(world.supervisee), data)
    assert response.status_code == 200
    errors = [form.errors for fs in response.context["formsets"] for form in fs.forms]
    assert any(field in e for e in errors)
    world.supervisee.refresh_from_db()
    assert world.supervisee.legal_name == "李明"
    assert not ProhibitionOrder.objects.exists() and not TravelApproval.objects.exists()
    assert not AccessLogEntry.objects.filter(action="edit").exists()


def test_term_ending_before_it_starts_is_refused(world, login, payload):
    client = login(world.users["caseworker"])
    data = payload(client.get(edit_url(world.supervisee)))
    data.update({"term_start": "2025-06-01", "term_end": "2025-01-01"})
    response = client.post(edit_url(world.supervisee), data)
    assert response.status_code == 200 and "term_end" in response.context["form"].errors


def test_tampered_management_form_is_not_a_500(world, login, payload):
    client = login(world.users["caseworker"])
    data = payload(client.get(edit_url(world.supervisee)))
    del data["travel-TOTAL_FORMS"]
    data["legal_name"] = "改名"
    assert client.post(edit_url(world.supervisee), data).status_code == 200
    world.supervisee.refresh_from_db()
    assert world.supervisee.legal_name == "李明"


def test_caseworker_of_another_squad_cannot_be_assigned(world, login, payload):
    client = login(world.users["unit_admin"])
    data = payload(client.get(edit_url(world.supervisee)))
    data["caseworker"] = world.users["other_caseworker"].pk
    response = client.post(edit_url(world.supervisee), data)
    assert response.status_code == 200 and "caseworker" in response.context["form"].errors
    world.supervisee.refresh_from_db()
    assert world.supervisee.caseworker == world.users["caseworker"]


def test_caseworker_cannot_move_a_record_out_of_their_units(world, login, payload):
    client = login(world.users["caseworker"])
    data = payload(client.get(edit_url(world.supervisee)))
    data["unit"] = world.squad2.pk
    response = client.post(edit_url(world.supervisee), data)
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    world.supervisee.refresh_from_db()
    assert world.supervisee.unit == world.squad1


def test_handing_a_juvenile_to_a_colleague_is_refused_for_the_caseworker(world, login, payload):
    colleague = f.caseworker_create(world.squad1)
    client = login(world.users["caseworker"])
    data = payload(client.get(edit_url(world.juvenile)))
    data["caseworker"] = colleague.pk
    response = client.post(edit_url(world.juvenile), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    world.juvenile.refresh_from_db()
    assert world.juvenile.caseworker == world.users["caseworker"]


def test_only_unit_admins_seal_and_only_juveniles(world, login, payload):
    caseworker_form = login(world.users["caseworker"]).get(edit_url(world.juvenile))
    assert "is_sealed" not in caseworker_form.context["form"].fields
    # A caseworker sending the field anyway changes nothing.
    client = login(world.users["caseworker"])
    data = payload(client.get(edit_url(world.juvenile)))
    data["is_sealed"] = "on"
    assert client.post(edit_url(world.juvenile), data).status_code == 302
    world.juvenile.refresh_from_db()
    assert not world.juvenile.is_sealed

    client = login(world.users["unit_admin"])
    data = payload(client.get(edit_url(world.supervisee)))
    data["is_sealed"] = "on"
    response = client.post(edit_url(world.supervisee), data)
    assert response.status_code == 200 and "is_sealed" in response.context["form"].errors

    data = payload(client.get(edit_url(world.juvenile)))
    data["is_sealed"] = "on"
    assert client.post(edit_url(world.juvenile), data).status_code == 302
    world.juvenile.refresh_from_db()
    assert world.juvenile.is_sealed
    # Now even the assigned caseworker no longer sees the file.
    assert login(world.users["caseworker"]).get(edit_url(world.juvenile)).status_code == 404


def test_edit_of_invisible_record_is_404(world, login):
    response = login(world.users["caseworker"]).post(edit_url(world.other_supervisee),
                                                     {"legal_name": "黑客"})
    assert response.status_code == 404
    world.other_supervisee.refresh_from_db()
    assert world.other_supervisee.legal_name == "王强"

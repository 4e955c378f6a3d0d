"""Partners and memberships in the Wagtail admin: the unit administrator's own partners
and staff only; nothing can be attached to another county, crafted URLs are 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.organisations.models import Membership, Organisation
from tests import factories as f


def _partner_form(**values):
    data = {"name": "", "kind": "ngo", "summary": "", "district": "", "address": "",
            "contact_name": "", "contact_phone": "", "website": "", "partner_unit": "",
            "is_active": "on"}
    data.update(values)
    return data


def _membership_form(**values):
    data = {"user": "", "unit": "", "organisation": "", "role": "", "title": ""}
    data.update(values)
    return data


# --- partners --------------------------------------------------------------------------------

def test_partner_listing_is_scoped(world, other_county, as_unit_admin):
    page = as_unit_admin.get(reverse("xy_partners:index")).content.decode()
    assert "阳光社工" in page and "金银花产业园" in page
    assert "邻县社工站" not in page


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_crafted_partner_urls_are_404(world, other_county, as_unit_admin, view):
    url = reverse(f"xy_partners:{view}", args=[other_county.partner.pk])
    assert as_unit_admin.get(url).status_code == 404
    assert as_unit_admin.post(url, _partner_form(name="改名")).status_code == 404
    other_county.partner.refresh_from_db()
    assert other_county.partner.name == "邻县社工站"


def test_create_partner_attached_to_my_unit(world, as_unit_admin):
    response = as_unit_admin.post(reverse("xy_partners:add"),
                                  _partner_form(name="绿丝带志愿队", kind="volunteer_team",
                                                partner_unit=world.squad1.pk))
    assert response.status_code == 302
    assert Organisation.objects.get(name="绿丝带志愿队").partner_unit == world.squad1


def test_partner_cannot_be_attached_elsewhere(world, other_county, as_unit_admin):
    add = as_unit_admin.post(reverse("xy_partners:add"),
                             _partner_form(name="外县机构", partner_unit=other_county.bureau.pk))
    assert "partner_unit" in add.context["form"].errors
    unattached = as_unit_admin.post(reverse("xy_partners:add"), _partner_form(name="无主机构"))
    assert "partner_unit" in unattached.context["form"].errors
    move = as_unit_admin.post(reverse("xy_partners:edit", args=[world.ngo.pk]),
                              _partner_form(name="阳光社工", partner_unit=other_county.bureau.pk))
    assert "partner_unit" in move.context["form"].errors
    world.ngo.refresh_from_db()
    assert world.ngo.partner_unit == world.bureau
    assert not Organisation.objects.filter(name__in=["外县机构", "无主机构"]).exists()


def test_partner_with_staff_is_not_deleted(world, as_unit_admin):
    response = as_unit_admin.post(reverse("xy_partners:delete", args=[world.ngo.pk]))
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=world.ngo.pk).exists()


# --- memberships -----------------------------------------------------------------------------

def test_membership_listing_is_scoped_and_leaves_out_my_own(world, other_county,
                                                            as_unit_admin):
    page = as_unit_admin.get(reverse("xy_memberships:index")).content.decode()
    for user in ("caseworker", "other_caseworker", "ngo", "enterprise"):
        assert str(world.users[user]) in page, user
    assert str(other_county.caseworker) not in page
    assert str(world.users["unit_admin"]) not in page


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_crafted_membership_urls_are_404(world, other_county, as_unit_admin, view):
    own = Membership.objects.get(user=world.users["unit_admin"])
    for membership in (other_county.membership, own):
        url = reverse(f"xy_memberships:{view}", args=[membership.pk])
        assert as_unit_admin.get(url).status_code == 404
        assert as_unit_admin.post(url, _membership_form(role="unit_admin")).status_code == 404
    assert Membership.objects.filter(pk=own.pk, role="unit_admin").exists()
    assert Membership.objects.filter(pk=other_county.membership.pk).exists()


def test_give_a_new_account_a_place_in_my_unit(world, as_unit_admin):
    newcomer = f.UserFactory(username="newcomer")
    response = as_unit_admin.post(reverse("xy_memberships:add"), _membership_form(
        user=newcomer.pk, unit=world.squad1.pk, role="caseworker", title="矫正社工"))
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.unit, membership.role) == (world.squad1, "caseworker")


def test_accounts_of_other_counties_and_supervisees_are_not_offered(world, other_county,
                                                                    as_unit_admin):
    form = as_unit_admin.get(reverse("xy_memberships:add")).context["form"]
    offered = set(form.fields["user"].queryset)
    assert other_county.caseworker not in offered
    assert world.users["supervisee"] not in offered
    assert world.users["superuser"] not in offered
    assert world.users["unit_admin"] not in offered
    assert world.users["caseworker"] in offered
    for user in (other_county.caseworker, world.users["supervisee"]):
        response = as_unit_admin.post(reverse("xy_memberships:add"), _membership_form(
            user=user.pk, unit=world.squad1.pk, role="unit_admin"))
        assert "user" in response.context["form"].errors
    assert not Membership.objects.filter(unit=world.squad1, role="unit_admin").exists()


@pytest.mark.parametrize("values,field", [
    ({"unit": "squad1", "role": "partner_staff"}, "role"),
    ({"organisation": "ngo", "role": "caseworker"}, "role"),
    ({"unit": "squad1", "organisation": "ngo", "role": "caseworker"}, "__all__"),
    ({"role": "caseworker"}, "__all__"),
    ({"unit": "other", "role": "caseworker"}, "unit"),
])
def test_inconsistent_memberships_are_refused(world, other_county, as_unit_admin, values,
                                              field):
    newcomer = f.UserFactory(username="newcomer")
    lookup = {"squad1": world.squad1.pk, "ngo": world.ngo.pk, "other": other_county.squad.pk}
    data = {k: lookup.get(v, v) for k, v in values.items()}
    response = as_unit_admin.post(reverse("xy_memberships:add"),
                                  _membership_form(user=newcomer.pk, **data))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Membership.objects.filter(user=newcomer).exists()


def test_end_a_membership_in_my_unit(world, as_unit_admin):
    membership = Membership.objects.get(user=world.users["other_caseworker"])
    response = as_unit_admin.post(reverse("xy_memberships:delete", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_membership_listing_query_count_does_not_grow(world, as_unit_admin):
    url = reverse("xy_memberships:index")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert as_unit_admin.get(url).status_code == 200
        return len(queries)

    few = count()
    for i in range(12):
        f.caseworker_create(world.squad2, username=f"extra{i}")
    assert count() == few


def test_edit_a_membership_keeps_its_person(world, as_unit_admin):
    membership = Membership.objects.get(user=world.users["caseworker"])
    someone_else = f.UserFactory(username="someone_else")
    response = as_unit_admin.post(
        reverse("xy_memberships:edit", args=[membership.pk]),
        _membership_form(user=someone_else.pk, unit=world.squad2.pk, role="caseworker",
                         title="副中队长"))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.user == world.users["caseworker"]  # the person is not changeable
    assert (membership.unit, membership.title) == (world.squad2, "副中队长")

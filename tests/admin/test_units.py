"""Units in the Wagtail admin: a unit administrator manages their subtree only, in the
listing and in every object view (crafted URLs answer 404 and change nothing)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.organisations.models import Unit
from tests import factories as f


def _form(**values):
    data = {"name": "", "kind": "squad", "district": "", "address": "", "phone": ""}
    data.update(values)
    return data


def test_listing_shows_the_subtree_as_an_indented_tree(world, other_county, as_unit_admin):
    page = as_unit_admin.get(reverse("xy_units:index")).content.decode()
    assert "示范县司法局" in page
    assert "— 第一中队" in page and "— 第二中队" in page
    assert "邻县" not in page
    assert page.index("示范县司法局") < page.index("— 第一中队")


def test_squad_admin_sees_only_their_squad(world, other_county, login):
    admin = f.caseworker_create(world.squad2, role="unit_admin", username="squad2admin")
    page = login(admin).get(reverse("xy_units:index")).content.decode()
    assert "第二中队" in page
    assert "第一中队" not in page and "示范县司法局" not in page


def test_superuser_sees_every_county(world, other_county, as_superuser):
    page = as_superuser.get(reverse("xy_units:index")).content.decode()
    assert "示范县司法局" in page and "邻县司法局" in page


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_crafted_urls_to_another_countys_unit_are_404(world, other_county, as_unit_admin,
                                                     view):
    url = reverse(f"xy_units:{view}", args=[other_county.squad.pk])
    assert as_unit_admin.get(url).status_code == 404
    assert as_unit_admin.get(reverse(f"xy_units:{view}", args=[987654])).status_code == 404
    # Within the subtree the same screens open.
    if view != "delete":
        own = reverse(f"xy_units:{view}", args=[world.squad2.pk])
        assert as_unit_admin.get(own).status_code == 200


def test_crafted_posts_change_nothing(world, other_county, as_unit_admin):
    squad = other_county.squad
    edit = as_unit_admin.post(reverse("xy_units:edit", args=[squad.pk]),
                              _form(name="被改了"))
    assert edit.status_code == 404
    delete = as_unit_admin.post(reverse("xy_units:delete", args=[squad.pk]))
    assert delete.status_code == 404
    squad.refresh_from_db()
    assert squad.name == "邻县一中队"


def test_edit_own_unit(world, as_unit_admin):
    response = as_unit_admin.post(reverse("xy_units:edit", args=[world.squad2.pk]),
                                  _form(name="第二中队", phone="0371-12345678"))
    assert response.status_code == 302
    world.squad2.refresh_from_db()
    assert world.squad2.phone == "0371-12345678"


def test_create_a_unit_below_one_of_mine(world, as_unit_admin):
    response = as_unit_admin.post(reverse("xy_units:add"),
                                  _form(name="城关司法所", kind="justice_office",
                                        parent=world.squad1.pk))
    assert response.status_code == 302
    unit = Unit.objects.get(name="城关司法所")
    world.squad1.refresh_from_db()
    assert unit.get_parent() == world.squad1
    assert unit.depth == world.squad1.depth + 1
    assert world.squad1.numchild == 1
    # The new unit is now in the administrator's listing, under its parent.
    page = as_unit_admin.get(reverse("xy_units:index")).content.decode()
    assert "— — 城关司法所" in page


def test_cannot_create_under_another_county_or_at_the_top(world, other_county,
                                                          as_unit_admin):
    before = Unit.objects.count()
    crafted = as_unit_admin.post(reverse("xy_units:add"),
                                 _form(name="偷建", parent=other_county.bureau.pk))
    assert crafted.status_code == 200  # the form again, with an error
    assert "parent" in crafted.context["form"].errors
    no_parent = as_unit_admin.post(reverse("xy_units:add"), _form(name="顶级"))
    assert "parent" in no_parent.context["form"].errors
    assert Unit.objects.count() == before


def test_superuser_may_create_a_new_top_level_unit(world, as_superuser):
    response = as_superuser.post(reverse("xy_units:add"), _form(name="新市局", kind="city"))
    assert response.status_code == 302
    assert Unit.objects.get(name="新市局").is_root()


def test_a_unit_in_use_is_not_deleted(world, as_unit_admin):
    for unit in (world.bureau, world.squad1):  # has children / has supervisees and staff
        response = as_unit_admin.post(reverse("xy_units:delete", args=[unit.pk]))
        assert response.status_code == 302
        assert Unit.objects.filter(pk=unit.pk).exists()
    assert Unit.objects.filter(name="第一中队").count() == 1


def test_an_empty_unit_can_be_deleted(world, as_unit_admin):
    empty = world.squad1.add_child(name="空司法所", kind="justice_office")
    assert as_unit_admin.get(reverse("xy_units:delete", args=[empty.pk])).status_code == 200
    response = as_unit_admin.post(reverse("xy_units:delete", args=[empty.pk]))
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=empty.pk).exists()
    world.squad1.refresh_from_db()
    assert world.squad1.numchild == 0


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_listing_query_count_does_not_grow_with_rows(world, as_unit_admin):
    url = reverse("xy_units:index")
    district = f.DistrictFactory()
    few = _count_queries(as_unit_admin, url)
    for i in range(15):
        world.squad2.add_child(name=f"司法所{i}", kind="justice_office", district=district)
        world.squad2.refresh_from_db()
    assert _count_queries(as_unit_admin, url) == few

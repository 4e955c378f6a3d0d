"""Who reaches the unit-administration screens at all: unit administrators by their
membership (no group needed), superusers; not editors, caseworkers or anyone else."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.permissions import policy_registry

from portal.access import UNIT_ADMIN_GROUP
from portal.organisations.models import Membership, Organisation, Unit
from tests import factories as f

INDEXES = ["xy_units:index", "xy_partners:index", "xy_memberships:index",
           "xy_districts:index", "xy_skills:index", "xy_industries:index",
           "xy_venue_types:index", "xy_targets:index", "xy_access_log:index"]


def _fresh(user):
    # Roles and permissions are cached on the user object for one request.
    return type(user).objects.get(pk=user.pk)


def test_the_group_exists_with_admin_access(db):
    group = Group.objects.get(name=UNIT_ADMIN_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_accesslogentry", "view_leveltarget", "view_district",
            "view_skill", "view_industry", "view_venuetype"} <= codenames
    assert "change_leveltarget" not in codenames
    assert "change_accesslogentry" not in codenames


def test_unit_admin_membership_alone_grants_admin_access(world):
    unit_admin = world.users["unit_admin"]
    assert not unit_admin.groups.exists()
    assert unit_admin.has_perm("wagtailadmin.access_admin")
    assert unit_admin.has_perm("audit.view_accesslogentry")
    assert not unit_admin.has_perm("people.change_leveltarget")
    assert policy_registry.get_by_type(Unit).user_has_permission(unit_admin, "change")
    Membership.objects.filter(user=unit_admin).update(role=Membership.Role.CASEWORKER)
    demoted = _fresh(unit_admin)
    assert not demoted.has_perm("wagtailadmin.access_admin")
    assert not policy_registry.get_by_type(Unit).user_has_permission(demoted, "change")


@pytest.mark.parametrize("role", ["caseworker", "supervisee", "ngo", "editor"])
def test_other_roles_get_no_unit_admin_permissions(world, role):
    user = world.users[role]
    assert not user.has_perm("audit.view_accesslogentry")
    for model in (Unit, Organisation, Membership):
        assert not policy_registry.get_by_type(model).user_has_any_permission(
            user, ["add", "change", "delete", "view"])


def test_object_permission_follows_the_scope(world, other_county):
    policy = policy_registry.get_by_type(Unit)
    unit_admin = world.users["unit_admin"]
    assert policy.user_has_permission_for_instance(unit_admin, "change", world.squad1)
    assert not policy.user_has_permission_for_instance(unit_admin, "change",
                                                       other_county.squad)
    assert set(policy.instances_user_has_any_permission_for(unit_admin, ["change"])) == {
        world.bureau, world.squad1, world.squad2}


def test_inactive_unit_admin_gets_nothing(world):
    unit_admin = world.users["unit_admin"]
    unit_admin.is_active = False
    unit_admin.save()
    assert not _fresh(unit_admin).has_perm("wagtailadmin.access_admin")


def test_the_group_is_where_superusers_widen_what_unit_admins_may_do(world, as_unit_admin):
    skill = f.SkillFactory()
    url = reverse("xy_skills:edit", args=[skill.pk])
    response = as_unit_admin.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    Group.objects.get(name=UNIT_ADMIN_GROUP).permissions.add(
        Permission.objects.get(codename="change_skill"))
    assert as_unit_admin.get(url).status_code == 200


def test_other_countys_admin_history_does_not_leak_through_site_history(
        world, other_county, login):
    superuser = login(world.users["superuser"])
    response = superuser.post(reverse("xy_memberships:edit", args=[other_county.membership.pk]),
                              {"unit": other_county.squad.pk, "organisation": "",
                               "role": "unit_admin", "title": "邻县机密职务"})
    assert response.status_code == 302
    report = reverse("wagtailadmin_reports:site_history")
    assert str(other_county.caseworker) in superuser.get(report).content.decode()
    page = login(world.users["unit_admin"]).get(report)
    assert page.status_code == 200
    assert str(other_county.caseworker) not in page.content.decode()


@pytest.mark.parametrize("name", INDEXES)
def test_unit_admin_and_superuser_reach_every_screen(world, login, name):
    for role in ("unit_admin", "superuser"):
        assert login(world.users[role]).get(reverse(name)).status_code == 200, role


@pytest.mark.parametrize("name", INDEXES)
def test_editor_is_sent_back_to_the_admin_home(world, login, name):
    response = login(world.users["editor"]).get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("role", ["caseworker", "supervisee", "ngo"])
def test_people_without_admin_access_are_refused(world, login, role):
    for name in ("wagtailadmin_home", "xy_units:index", "xy_access_log:index"):
        assert login(world.users[role]).get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_the_login(client, db):
    response = client.get(reverse("xy_units:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_menu_shows_unit_administration_to_unit_admins_only(world, login):
    page = login(world.users["unit_admin"]).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("xy_units:index") in page
    assert reverse("xy_access_log:index") in page
    page = login(world.users["editor"]).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("xy_units:index") not in page
    assert reverse("xy_access_log:index") not in page

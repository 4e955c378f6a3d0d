"""Unit tests of portal/access.py: the rules for who sees which supervisee record."""

import pytest
from django.http import Http404

from portal import access
from portal.access import Role, actor_for
from portal.audit.models import AccessLogEntry
from portal.organisations.models import Membership
from tests import factories as f


def visible(user):
    return set(access.supervisees_visible_to(user).values_list("legal_name", flat=True))


def fresh(user):
    """actor_for caches on the user object; tests that change memberships reload it."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def squad3(world):
    """A unit below squad 1 (a justice office), to prove the subtree rule."""
    world.squad1.refresh_from_db()
    office = f.unit_create("城关司法所", kind="justice_office", parent=world.squad1)
    return office


# --- roles ---------------------------------------------------------------------------------

def test_roles_follow_memberships(world):
    u = world.users
    assert actor_for(u["supervisee"]).primary_role == Role.SUPERVISEE
    assert actor_for(u["caseworker"]).primary_role == Role.CASEWORKER
    assert actor_for(u["unit_admin"]).primary_role == Role.UNIT_ADMIN
    assert actor_for(u["ngo"]).primary_role == Role.PARTNER_STAFF
    assert actor_for(u["editor"]).primary_role == Role.EDITOR
    assert actor_for(u["superuser"]).primary_role == Role.SUPERUSER
    assert actor_for(None).primary_role == Role.ANONYMOUS


def test_inactive_organisation_gives_no_partner_role(world):
    world.ngo.is_active = False
    world.ngo.save()
    assert not actor_for(fresh(world.users["ngo"])).has(Role.PARTNER_STAFF)


# --- caseworkers: unit subtree only, juveniles only when assigned ---------------------------

def test_caseworker_sees_adults_of_own_unit_only(world):
    assert visible(world.users["caseworker"]) == {"李明", "赵小军"}
    assert visible(world.users["other_caseworker"]) == {"王强"}


def test_caseworker_sees_the_units_below_theirs(world, squad3):
    f.SuperviseeFactory(unit=squad3, legal_name="孙丽")
    assert "孙丽" in visible(world.users["caseworker"])
    assert "孙丽" not in visible(world.users["other_caseworker"])


def test_caseworker_does_not_see_units_above_theirs(world):
    f.SuperviseeFactory(unit=world.bureau, legal_name="周县")
    assert "周县" not in visible(world.users["caseworker"])
    assert "周县" in visible(world.users["unit_admin"])


def test_juvenile_only_for_the_assigned_caseworker(world):
    colleague = f.caseworker_create(world.squad1)
    assert "赵小军" in visible(world.users["caseworker"])
    assert "赵小军" not in visible(colleague)
    assert "李明" in visible(colleague)


def test_unassigned_juvenile_is_seen_by_no_caseworker_but_by_the_admin(world):
    world.juvenile.caseworker = None
    world.juvenile.save()
    assert "赵小军" not in visible(world.users["caseworker"])
    assert "赵小军" in visible(world.users["unit_admin"])


def test_unit_admin_sees_every_juvenile_of_the_subtree(world):
    f.SuperviseeFactory(unit=world.squad2, legal_name="钱小", is_juvenile=True)
    assert visible(world.users["unit_admin"]) == {"李明", "王强", "赵小军", "钱小"}


def test_squad_admin_does_not_see_other_squads(world):
    admin2 = f.caseworker_create(world.squad2, role=Membership.Role.UNIT_ADMIN)
    assert visible(admin2) == {"王强"}


# --- sealed files: administrators only -----------------------------------------------------

def test_sealed_file_only_for_unit_admins_even_if_assigned(world):
    world.juvenile.is_sealed = True
    world.juvenile.save()
    assert "赵小军" not in visible(world.users["caseworker"])
    assert "赵小军" in visible(world.users["unit_admin"])
    assert "赵小军" in visible(world.users["superuser"])


# --- partners, editors, supervisees: no staff view at all ----------------------------------

@pytest.mark.parametrize("role", ["ngo", "enterprise", "editor", "supervisee", "other_supervisee",
                                  "juvenile", "anonymous"])
def test_non_staff_see_no_supervisee_records(world, role):
    assert visible(world.users[role]) == set()
    with pytest.raises(Http404):
        access.supervisee_for_staff(world.users[role] or f.UserFactory(), world.supervisee.pk,
                                    what="test")


def test_partner_visible_people_is_empty_without_relations(world):
    assert list(access.partner_visible_people(world.users["ngo"])) == []


def test_partner_visible_people_never_juveniles_and_only_for_partners(world, monkeypatch):
    # A relation a feature would add; here any supervisee whose unit works with the
    # partner organisation stands in for "took part in the partner's activity".
    monkeypatch.setattr(access, "PARTNER_RELATIONS", ["unit__partners"])
    seen = {s.legal_name for s in access.partner_visible_people(world.users["ngo"])}
    assert seen == set()  # the partner works with the bureau; people are in the squads
    world.ngo.partner_unit = world.squad1
    world.ngo.save()
    seen = {s.legal_name for s in access.partner_visible_people(fresh(world.users["ngo"]))}
    assert seen == {"李明"}  # the juvenile of squad 1 never appears
    assert not access.partner_visible_people(world.users["caseworker"]).exists()
    assert not access.partner_visible_people(world.users["editor"]).exists()


def test_display_name_for_partner(world):
    assert access.display_name_for_partner(world.supervisee) == "李*"
    world.supervisee.alias = "小明"
    assert access.display_name_for_partner(world.supervisee) == "小明"
    world.juvenile.alias = "小军"
    name = access.display_name_for_partner(world.juvenile)
    assert "赵" not in name and "小军" not in name


def test_own_supervisee(world):
    assert access.own_supervisee(world.users["supervisee"]) == world.supervisee
    assert access.own_supervisee(world.users["caseworker"]) is None


# --- the logged read -----------------------------------------------------------------------

def test_supervisee_for_staff_logs_the_read(world):
    user = world.users["caseworker"]
    got = access.supervisee_for_staff(user, world.supervisee.pk, what="Opened record",
                                      path="/people/1/")
    assert got == world.supervisee
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.supervisee, entry.action, entry.what) == (
        user, world.supervisee, "view", "Opened record")


@pytest.mark.parametrize("pk", ["abc", None, 999999])
def test_supervisee_for_staff_unknown_or_bad_id_is_404_and_not_logged(world, pk):
    with pytest.raises(Http404):
        access.supervisee_for_staff(world.users["unit_admin"], pk, what="x")
    assert not AccessLogEntry.objects.exists()


def test_invisible_record_is_404_and_not_logged(world):
    with pytest.raises(Http404):
        access.supervisee_for_staff(world.users["caseworker"], world.other_supervisee.pk,
                                    what="x")
    assert not AccessLogEntry.objects.exists()


# --- units, caseworker choices, sealing ----------------------------------------------------

def test_units_visible_and_administered(world):
    names = lambda qs: set(qs.values_list("name", flat=True))  # noqa: E731
    assert names(access.units_visible_to(world.users["caseworker"])) == {"第一中队"}
    assert names(access.units_visible_to(world.users["unit_admin"])) == {
        "示范县司法局", "第一中队", "第二中队"}
    assert names(access.units_administered_by(world.users["caseworker"])) == set()
    assert names(access.units_visible_to(world.users["ngo"])) == set()


def test_caseworker_choices_are_staff_of_visible_units(world):
    chosen = set(access.caseworkers_choosable_by(world.users["caseworker"]))
    assert world.users["caseworker"] in chosen
    assert world.users["other_caseworker"] not in chosen
    assert world.users["unit_admin"] not in chosen  # in the bureau, above squad 1
    assert world.users["ngo"] not in chosen


def test_caseworker_must_belong_to_the_unit_or_above(world, squad3):
    assert access.can_be_caseworker_in(world.users["caseworker"], world.squad1)
    assert access.can_be_caseworker_in(world.users["caseworker"], squad3)
    assert access.can_be_caseworker_in(world.users["unit_admin"], world.squad1)
    assert not access.can_be_caseworker_in(world.users["other_caseworker"], world.squad1)
    assert not access.can_be_caseworker_in(world.users["ngo"], world.squad1)


def test_only_admins_seal(world):
    assert access.can_seal_in(world.users["unit_admin"], world.squad1)
    assert not access.can_seal_in(world.users["caseworker"], world.squad1)


def test_page_gates(world):
    u = world.users
    assert access.can_use_caseload(u["caseworker"]) and access.can_use_caseload(u["superuser"])
    assert not any(access.can_use_caseload(u[r]) for r in ("ngo", "editor", "supervisee"))
    assert access.can_read_unit_access_log(u["unit_admin"])
    assert not access.can_read_unit_access_log(u["caseworker"])


def test_access_log_visible_to_unit_admins_for_their_subtree(world):
    admin2 = f.caseworker_create(world.squad2, role=Membership.Role.UNIT_ADMIN)
    access.supervisee_for_staff(world.users["caseworker"], world.supervisee.pk, what="a")
    access.supervisee_for_staff(world.users["other_caseworker"], world.other_supervisee.pk,
                                what="b")
    AccessLogEntry.objects.create(actor=world.users["caseworker"], action="list", what="c")
    whats = lambda user: set(access.access_log_visible_to(user).values_list("what", flat=True))  # noqa: E731,E501
    assert whats(world.users["unit_admin"]) == {"a", "b", "c"}
    assert whats(admin2) == {"b"}
    assert whats(world.users["caseworker"]) == set()
    assert whats(world.users["superuser"]) == {"a", "b", "c"}

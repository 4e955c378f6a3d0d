"""Taxonomy lists and monthly targets (read-only for unit administrators), and the
access log (read-only for everyone, scoped to the administrator's subtree)."""

from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.people.models import LevelTarget
from portal.taxonomy.models import District, Skill
from tests import factories as f


def test_unit_admin_reads_lists_but_cannot_change_them(world, as_unit_admin):
    skill = f.SkillFactory(name="电工")
    assert "电工" in as_unit_admin.get(reverse("xy_skills:index")).content.decode()
    add = as_unit_admin.post(reverse("xy_skills:add"),
                             {"name": "焊工", "name_en": "", "code": "welder", "sort_order": 0})
    assert add.status_code == 302 and add["Location"] == reverse("wagtailadmin_home")
    edit = as_unit_admin.post(reverse("xy_skills:edit", args=[skill.pk]),
                              {"name": "改", "name_en": "", "code": skill.code, "sort_order": 0})
    assert edit.status_code == 302 and edit["Location"] == reverse("wagtailadmin_home")
    assert not Skill.objects.filter(code="welder").exists()
    skill.refresh_from_db()
    assert skill.name == "电工"


def test_superuser_maintains_the_lists(world, as_superuser):
    response = as_superuser.post(reverse("xy_districts:add"), {
        "name": "城关镇", "name_en": "Chengguan", "code": "chengguan", "county": "示范县",
        "sort_order": 1})
    assert response.status_code == 302
    assert District.objects.get(code="chengguan").county == "示范县"


def test_targets_read_only_for_unit_admins_editable_by_superusers(world, login):
    target = LevelTarget.objects.get(level="ordinary")
    url = reverse("xy_targets:edit", args=[target.pk])
    data = {"level": "ordinary", "study_hours": "9.5", "service_hours": "7"}
    unit_admin = login(world.users["unit_admin"])
    assert "8.0" in unit_admin.get(reverse("xy_targets:index")).content.decode()
    assert unit_admin.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.study_hours == Decimal("8.0")
    superuser = login(world.users["superuser"])
    assert superuser.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.study_hours, target.service_hours) == (Decimal("9.5"), Decimal("7"))


def test_target_form_refuses_bad_numbers(world, as_superuser):
    target = LevelTarget.objects.get(level="strict")
    response = as_superuser.post(reverse("xy_targets:edit", args=[target.pk]),
                                 {"level": "strict", "study_hours": "lots",
                                  "service_hours": "-"})
    assert response.status_code == 200
    assert {"study_hours", "service_hours"} <= set(response.context["form"].errors)


@pytest.fixture
def log_entries(world, other_county):
    mine = access_log_record(actor=world.users["caseworker"], supervisee=world.supervisee,
                             action="view", what="查看档案 本县")
    juvenile = access_log_record(actor=world.users["caseworker"], supervisee=world.juvenile,
                                 action="export", what="导出 本县未成年人")
    theirs = access_log_record(actor=other_county.caseworker,
                               supervisee=other_county.supervisee, action="view",
                               what="查看档案 邻县")
    return mine, juvenile, theirs


def test_access_log_is_scoped_to_the_subtree(world, log_entries, as_unit_admin):
    page = as_unit_admin.get(reverse("xy_access_log:index")).content.decode()
    assert "查看档案 本县" in page and "导出 本县未成年人" in page
    assert "查看档案 邻县" not in page


def test_access_log_filters(world, log_entries, as_unit_admin):
    page = as_unit_admin.get(reverse("xy_access_log:index"), {"action": "export"})
    text = page.content.decode()
    assert "导出 本县未成年人" in text and "查看档案 本县" not in text
    bad = as_unit_admin.get(reverse("xy_access_log:index"), {"action": "nonsense",
                                                             "at_after": "not-a-date"})
    assert bad.status_code == 200


def test_superuser_reads_the_whole_log(world, log_entries, as_superuser):
    page = as_superuser.get(reverse("xy_access_log:index")).content.decode()
    assert "查看档案 本县" in page and "查看档案 邻县" in page


def test_access_log_cannot_be_changed_through_the_admin(world, log_entries, as_superuser):
    for view in ("add", "edit", "delete", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"xy_access_log:{view}", args=[] if view == "add" else [1])
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(AccessLogEntry)
    superuser = world.users["superuser"]
    assert policy.user_has_permission(superuser, "view")
    for action in ("add", "change", "delete"):
        assert not policy.user_has_permission(superuser, action)
    page = as_superuser.get(reverse("xy_access_log:index")).content.decode()
    assert "/admin/access-log/new/" not in page
    assert AccessLogEntry.objects.count() == 3

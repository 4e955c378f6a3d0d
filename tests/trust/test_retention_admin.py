"""The retention period in the Wagtail admin: a unit administrator sets it for the units
they administer, never another county's; bad numbers are refused with a message and
nothing saved; caseworkers, partner staff and editors are refused. The retention log is a
read-only listing scoped the same way. (That retention_apply honours the unit's period is
tests/trust/test_retention.py.)"""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from portal.ops.models import RetentionLogEntry, RetentionPolicy
from tests import factories as f


@pytest.fixture
def other_county(world):
    bureau = f.unit_create("邻县司法局")
    squad = f.unit_create("邻县一中队", kind="squad", parent=bureau)
    return {"bureau": bureau, "squad": squad,
            "policy": RetentionPolicy.objects.create(unit=bureau, years_after_release=8)}


def _years(unit):
    return RetentionPolicy.objects.filter(unit=unit).values_list(
        "years_after_release", flat=True).first()


def test_unit_admin_sets_and_changes_the_period_of_their_units(world, login, other_county):
    client = login(world.users["unit_admin"])
    form = client.get(reverse("xy_retention:add"))
    assert form.status_code == 200
    offered = {u.pk for u in form.context["form"].fields["unit"].queryset}
    assert offered == {world.bureau.pk, world.squad1.pk, world.squad2.pk}

    response = client.post(reverse("xy_retention:add"),
                           {"unit": world.squad1.pk, "years_after_release": "7"})
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(unit=world.squad1)
    assert policy.years_after_release == 7

    response = client.post(reverse("xy_retention:edit", args=[policy.pk]),
                           {"years_after_release": "12", "unit": other_county["squad"].pk})
    assert response.status_code == 302
    policy.refresh_from_db()
    # The period changed; the policy stayed with its unit.
    assert (policy.unit_id, policy.years_after_release) == (world.squad1.pk, 12)

    listing = client.get(reverse("xy_retention:index")).content.decode()
    assert "第一中队" in listing and "邻县司法局" not in listing


def test_another_countys_policy_is_not_found(world, login, other_county):
    client = login(world.users["unit_admin"])
    policy = other_county["policy"]
    url = reverse("xy_retention:edit", args=[policy.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"years_after_release": "1"}).status_code == 404
    assert client.get(reverse("xy_retention:history", args=[policy.pk])).status_code == 404
    # Nor can a new policy be put on another county's unit.
    response = client.post(reverse("xy_retention:add"),
                           {"unit": other_county["squad"].pk, "years_after_release": "1"})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert _years(other_county["bureau"]) == 8
    assert _years(other_county["squad"]) is None


@pytest.mark.parametrize("years", ["0", "31", "-3", "lots", ""])
def test_bad_years_are_refused_with_a_message_and_nothing_saved(world, login, years):
    client = login(world.users["unit_admin"])
    policy = RetentionPolicy.objects.create(unit=world.bureau, years_after_release=5)

    edit = client.post(reverse("xy_retention:edit", args=[policy.pk]),
                       {"years_after_release": years})
    assert edit.status_code == 200
    assert edit.context["form"].errors["years_after_release"]
    assert _years(world.bureau) == 5

    add = client.post(reverse("xy_retention:add"),
                      {"unit": world.squad2.pk, "years_after_release": years})
    assert add.status_code == 200
    assert add.context["form"].errors["years_after_release"]
    assert _years(world.squad2) is None


@pytest.mark.parametrize("years", ["0", "31", "-3"])
def test_out_of_range_message_names_the_range(world, login, years):
    client = login(world.users["unit_admin"])
    response = client.post(reverse("xy_retention:add"),
                           {"unit": world.squad2.pk, "years_after_release": years})
    with translation.override(settings.LANGUAGE_CODE):  # the language the page is in
        message = translation.gettext("Enter a number of years from %(min)s to %(max)s.") % {
            "min": 1, "max": 30}
    assert response.context["form"].errors["years_after_release"] == [message]
    assert message in response.content.decode()


@pytest.mark.parametrize("role, refused", [
    ("caseworker", 403), ("ngo", 403), ("supervisee", 403), ("editor", 302)])
def test_other_roles_are_refused(world, login, role, refused):
    policy = RetentionPolicy.objects.create(unit=world.squad1, years_after_release=5)
    client = login(world.users[role])
    for url in (reverse("xy_retention:index"), reverse("xy_retention:add"),
                reverse("xy_retention:edit", args=[policy.pk]),
                reverse("xy_retention_log:index")):
        assert client.get(url).status_code == refused, (role, url)
    response = client.post(reverse("xy_retention:edit", args=[policy.pk]),
                           {"years_after_release": "1"})
    assert response.status_code == refused
    if refused == 302:  # the editor: back to the admin home, not into the screen
        assert response["Location"] == reverse("wagtailadmin_home")
    client.post(reverse("xy_retention:add"),
                {"unit": world.squad2.pk, "years_after_release": "1"})
    assert _years(world.squad1) == 5 and _years(world.squad2) is None


def test_superuser_sets_any_units_period(world, login, other_county):
    client = login(world.users["superuser"])
    response = client.post(reverse("xy_retention:edit", args=[other_county["policy"].pk]),
                           {"years_after_release": "30"})
    assert response.status_code == 302
    assert _years(other_county["bureau"]) == 30


def _log(supervisee, what):
    return RetentionLogEntry.objects.create(
        supervisee=supervisee, action=RetentionLogEntry.Action.ANONYMISED, what=what,
        rule="released 2020-01-01 + 5 years = 2025-01-01")


def test_retention_log_is_read_only_and_scoped_to_the_subtree(world, login, other_county):
    _log(world.supervisee, "本县匿名记录")
    _log(f.SuperviseeFactory(unit=other_county["squad"]), "邻县匿名记录")
    page = login(world.users["unit_admin"]).get(reverse("xy_retention_log:index"))
    assert page.status_code == 200
    assert "本县匿名记录" in page.content.decode()
    assert "邻县匿名记录" not in page.content.decode()
    page = login(world.users["superuser"]).get(reverse("xy_retention_log:index"))
    assert {"本县匿名记录", "邻县匿名记录"} <= set(
        e.what for e in page.context["object_list"])
    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"xy_retention_log:{name}", args=[] if name == "add" else [1])


def test_retention_log_listing_queries_do_not_grow_with_rows(world, login):
    client = login(world.users["unit_admin"])
    url = reverse("xy_retention_log:index")
    _log(world.supervisee, "一")
    client.get(url)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(5):
        _log(f.SuperviseeFactory(unit=world.squad2), f"多{i}")
    with CaptureQueriesContext(connection) as six:
        response = client.get(url)
    assert len(response.context["object_list"]) == 6
    assert len(six) == len(one)

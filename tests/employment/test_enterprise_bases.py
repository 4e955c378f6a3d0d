"""Enterprise staff manage their own training bases from the portal (and see their help
agreements); another enterprise's base is 404 and stays as it was."""

import datetime

from django.utils import timezone

from employment.models import HelpAgreement, TrainingBase


def test_the_enterprise_adds_and_edits_its_own_base(emp, client):
    client.force_login(emp.staff)
    assert client.get("/jobs/enterprise/bases/new/").status_code == 200
    response = client.post("/jobs/enterprise/bases/new/", {
        "organisation": emp.enterprise.pk, "name": "电商产业园实训基地",
        "district": emp.home.pk, "address": "园区路1号", "is_active": "on"})
    assert response.status_code == 302
    base = TrainingBase.objects.get(name="电商产业园实训基地")
    assert base.organisation == emp.enterprise
    place = emp.training(base=base, district=base.district)
    response = client.post(f"/jobs/enterprise/bases/{base.pk}/edit/", {
        "name": "电商产业园实训基地", "district": emp.town.pk, "address": "新址",
        "is_active": "on"})
    assert response.status_code == 302
    base.refresh_from_db()
    place.refresh_from_db()
    assert base.district == emp.town and base.address == "新址"
    assert place.district == emp.town  # the places move with their base
    page = client.get("/jobs/enterprise/").content.decode()
    assert f"/jobs/enterprise/bases/{base.pk}/edit/" in page


def test_bad_input_re_renders_and_changes_nothing(emp, client):
    client.force_login(emp.staff)
    response = client.post(f"/jobs/enterprise/bases/{emp.base.pk}/edit/", {
        "name": "", "district": emp.home.pk})
    assert response.status_code == 200
    emp.base.refresh_from_db()
    assert emp.base.name == "实训基地" and emp.base.district == emp.town
    # A second base with the same name is refused with a message, not a 500.
    response = client.post("/jobs/enterprise/bases/new/", {
        "organisation": emp.enterprise.pk, "name": "实训基地", "district": emp.home.pk})
    assert response.status_code == 200
    assert TrainingBase.objects.filter(name="实训基地").count() == 1


def test_another_enterprise_cannot_touch_the_base(emp, client):
    client.force_login(emp.other_staff)
    url = f"/jobs/enterprise/bases/{emp.base.pk}/edit/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名", "district": emp.home.pk}).status_code == 404
    emp.base.refresh_from_db()
    assert emp.base.name == "实训基地"
    # Nor post a base in the name of an enterprise they do not belong to.
    response = client.post("/jobs/enterprise/bases/new/", {
        "organisation": emp.enterprise.pk, "name": "冒名基地", "district": emp.home.pk})
    assert response.status_code == 200
    assert not TrainingBase.objects.filter(name="冒名基地").exists()


def test_people_and_caseworkers_cannot_manage_bases(emp, client):
    for who in ("supervisee", "caseworker"):
        client.force_login(emp.world.users[who])
        assert client.get("/jobs/enterprise/bases/new/").status_code == 403


def test_the_enterprise_sees_its_help_agreement(emp, client):
    today = timezone.localdate()
    HelpAgreement.objects.create(organisation=emp.enterprise, unit=emp.world.bureau,
                                 signed_on=today, starts_on=today,
                                 ends_on=today + datetime.timedelta(days=365),
                                 places_promised=12)
    client.force_login(emp.staff)
    page = client.get("/jobs/enterprise/").content.decode()
    assert emp.world.bureau.name in page and "12" in page
    client.force_login(emp.other_staff)
    assert emp.world.bureau.name not in client.get("/jobs/enterprise/").content.decode()

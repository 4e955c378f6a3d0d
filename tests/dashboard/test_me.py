"""/me/: the person's own record in plain words, and their consents."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from portal.audit.models import AccessLogEntry
from portal.people.models import Consent
from portal.people.selectors import current_consents
from tests import factories as f

ME = reverse("me_record")
CONSENT = reverse("me_consent")


def test_own_record_in_plain_words(world, login):
    world.supervisee.occupational_bans.create(industry=f.IndustryFactory(name="幼儿教育"),
                                              starts_on="2024-01-01")
    world.supervisee.travel_approvals.create(
        destination=f.DistrictFactory(name="邻县"), reason="探亲", starts_on="2030-01-01",
        ends_on="2030-01-03", approved_by=world.users["caseworker"])
    response = login(world.users["supervisee"]).get(ME)
    body = response.content.decode()
    assert response.status_code == 200
    assert "李明" in body and world.supervisee.unit.name in body
    assert "幼儿教育" in body and "邻县" in body
    assert world.supervisee.id_number not in body  # masked even to the person
    assert "王强" not in body
    assert not AccessLogEntry.objects.exists()  # the person reading about themselves


def test_other_supervisee_sees_their_own_not_mine(world, login):
    body = login(world.users["other_supervisee"]).get(ME).content.decode()
    assert "王强" in body and "李明" not in body


@pytest.mark.parametrize("role", ["caseworker", "ngo", "editor", "superuser"])
def test_people_without_a_record_get_404(world, login, role):
    assert login(world.users[role]).get(ME).status_code == 404


def test_grant_and_withdraw(world, login):
    client = login(world.users["supervisee"])
    assert client.post(CONSENT, {"kind": "certificate", "granted": "1"}).status_code == 302
    assert current_consents(world.supervisee)["certificate"] is True
    client.post(CONSENT, {"kind": "certificate", "granted": "0"})
    assert current_consents(world.supervisee)["certificate"] is False
    rows = list(Consent.objects.order_by("pk").values_list("granted", "recorded_by"))
    assert rows == [(True, world.users["supervisee"].pk), (False, world.users["supervisee"].pk)]
    page = client.get(ME)
    assert ("certificate", False) in [(k, g) for k, _label, g in page.context["consents"]]


@pytest.mark.parametrize("data", [
    {"kind": "share_everything", "granted": "1"},
    {"kind": "certificate' OR 1=1 --", "granted": "1"},
    {"kind": "certificate", "granted": "yes"},
    {"kind": "", "granted": "1"},
    {},
])
def test_tampered_consent_changes_nothing(world, login, data):
    response = login(world.users["supervisee"]).post(CONSENT, data)
    assert response.status_code == 302
    assert not Consent.objects.exists()
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


def test_consent_is_only_ever_for_ones_own_record(world, login):
    login(world.users["other_supervisee"]).post(
        CONSENT, {"kind": "certificate", "granted": "1", "supervisee": world.supervisee.pk})
    assert not world.supervisee.consents.exists()
    assert world.other_supervisee.consents.count() == 1


def test_staff_cannot_use_the_personal_consent_form(world, login):
    response = login(world.users["caseworker"]).post(CONSENT, {"kind": "certificate",
                                                               "granted": "1"})
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_consent_form_needs_post(world, login):
    assert login(world.users["supervisee"]).get(CONSENT).status_code == 405

"""Consents recorded by staff on the person's behalf: always a new row, never an edit."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from portal.audit.models import AccessLogEntry
from portal.people.models import Consent
from portal.people.selectors import current_consents
from portal.people.services import consent_record


def consent_url(s):
    return reverse("people:consent", args=[s.pk])


def test_staff_record_a_decision_as_a_new_row(world, login):
    client = login(world.users["caseworker"])
    client.post(consent_url(world.supervisee), {"kind": "certificate", "granted": "1"})
    first = Consent.objects.get()
    assert first.granted and first.recorded_by == world.users["caseworker"]
    response = client.post(consent_url(world.supervisee), {"kind": "certificate", "granted": "0"})
    assert response.status_code == 302
    assert Consent.objects.count() == 2
    first.refresh_from_db()
    assert first.granted  # the earlier decision is kept as it was
    assert current_consents(world.supervisee)["certificate"] is False
    assert AccessLogEntry.objects.filter(supervisee=world.supervisee, action="edit").count() == 2


@pytest.mark.parametrize("data", [
    {"kind": "everything", "granted": "1"}, {"kind": "certificate", "granted": "2"},
    {"kind": "certificate"}, {},
])
def test_bad_consent_input_changes_nothing(world, login, data):
    response = login(world.users["caseworker"]).post(consent_url(world.supervisee), data)
    assert response.status_code == 302
    assert not Consent.objects.exists()
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


def test_consent_for_an_invisible_person_is_404(world, login):
    response = login(world.users["caseworker"]).post(
        consent_url(world.other_supervisee), {"kind": "certificate", "granted": "1"})
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_partner_cannot_record_consent(world, login):
    response = login(world.users["enterprise"]).post(
        consent_url(world.supervisee), {"kind": "employer_profile", "granted": "1"})
    assert response.status_code == 403
    assert not Consent.objects.exists()


def test_a_consent_row_cannot_be_edited(world):
    consent = consent_record(supervisee=world.supervisee, kind="certificate", granted=True,
                             recorded_by=world.supervisee.user)
    consent.granted = False
    with pytest.raises(ValueError):
        consent.save()
    consent.refresh_from_db()
    assert consent.granted


def test_unknown_kind_is_refused_by_the_service(world):
    with pytest.raises(ValueError):
        consent_record(supervisee=world.supervisee, kind="all", granted=True,
                       recorded_by=world.supervisee.user)

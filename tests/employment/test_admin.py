"""Help agreements and training bases in the Wagtail admin: a unit administrator records
them for the enterprises of their own county only; another county's are 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from employment.models import HelpAgreement, TrainingBase
from portal.organisations.models import Organisation
from tests import factories as f


@pytest.fixture
def neighbour(emp):
    bureau = f.unit_create("邻县司法局")
    enterprise = f.OrganisationFactory(name="邻县企业", kind=Organisation.Kind.ENTERPRISE,
                                       partner_unit=bureau)
    today = timezone.localdate()
    agreement = HelpAgreement.objects.create(organisation=enterprise, unit=bureau,
                                             signed_on=today, starts_on=today,
                                             places_promised=3)
    base = TrainingBase.objects.create(organisation=enterprise, name="邻县基地",
                                       district=emp.away)
    return {"bureau": bureau, "enterprise": enterprise, "agreement": agreement, "base": base}


def _agreement_form(**values):
    today = timezone.localdate()
    data = {"organisation": "", "unit": "", "signed_on": today.isoformat(),
            "starts_on": today.isoformat(), "ends_on": "", "places_promised": "5",
            "terms": ""}
    data.update(values)
    return data


def test_a_unit_administrator_records_an_agreement_for_their_enterprise(emp, neighbour, login):
    client = login(emp.world.users["unit_admin"])
    response = client.post(reverse("xy_help_agreements:add"), _agreement_form(
        organisation=emp.enterprise.pk, unit=emp.world.bureau.pk, terms="优先录用"))
    assert response.status_code == 302
    assert HelpAgreement.objects.get(terms="优先录用").organisation == emp.enterprise
    listing = client.get(reverse("xy_help_agreements:index")).content.decode()
    assert emp.enterprise.name in listing and "邻县企业" not in listing


def test_another_countys_enterprise_cannot_be_chosen(emp, neighbour, login):
    client = login(emp.world.users["unit_admin"])
    response = client.post(reverse("xy_help_agreements:add"), _agreement_form(
        organisation=neighbour["enterprise"].pk, unit=emp.world.bureau.pk))
    assert "organisation" in response.context["form"].errors
    backwards = client.post(reverse("xy_help_agreements:add"), _agreement_form(
        organisation=emp.enterprise.pk, unit=emp.world.bureau.pk,
        ends_on=(timezone.localdate() - datetime.timedelta(days=1)).isoformat()))
    assert "ends_on" in backwards.context["form"].errors
    assert HelpAgreement.objects.count() == 1  # the neighbour's only


@pytest.mark.parametrize("namespace,key", [("xy_help_agreements", "agreement"),
                                           ("xy_training_bases", "base")])
@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_another_countys_rows_are_404(emp, neighbour, login, namespace, key, view):
    client = login(emp.world.users["unit_admin"])
    url = reverse(f"{namespace}:{view}", args=[neighbour[key].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert type(neighbour[key]).objects.filter(pk=neighbour[key].pk).exists()


def test_a_base_with_training_places_is_not_deleted(emp, login):
    emp.training()
    client = login(emp.world.users["unit_admin"])
    response = client.post(reverse("xy_training_bases:delete", args=[emp.base.pk]))
    assert response.status_code == 302
    assert TrainingBase.objects.filter(pk=emp.base.pk).exists()


def test_editors_and_caseworkers_do_not_manage_agreements(emp, login):
    assert login(emp.world.users["editor"]).get(
        reverse("xy_help_agreements:index")).status_code == 302
    assert login(emp.world.users["caseworker"]).get(
        reverse("xy_help_agreements:index")).status_code == 403

"""Volunteer-service certificates: only volunteer-service hours, only with consent, in the
name of the body that recorded them; a PDF with Chinese text and a QR code; a public
verification page that shows only what it may."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.audit.models import AccessLogEntry
from portal.people.models import Supervisee
from volunteering import services
from volunteering.models import Certificate, ServiceKind
from volunteering.services import ServiceError

from .pdftext import pdf_text
from .test_ledger import attended


def with_hours(svc, person=None, **kwargs):
    """A person with 3 volunteer-service hours for the NGO and 2 public-welfare hours; a
    certificate needs 1 hour (the county's setting)."""
    from volunteering.models import ServiceSettings

    settings = ServiceSettings.load()
    settings.certificate_min_hours = Decimal("1")
    settings.save()
    person = person or svc.person(legal_name="李明远")
    attended(svc, person, hours="3", days_ago=20, **kwargs)
    attended(svc, person, hours="2", days_ago=10, kind=ServiceKind.PUBLIC_WELFARE,
             organisation=None, unit=svc.world.squad1, created_by=svc.world.users["caseworker"],
             title="公益劳动")
    return person


def test_certificate_needs_consent(svc):
    person = with_hours(svc)
    with pytest.raises(ServiceError) as info:
        services.certificate_issue(supervisee=person, organisation=svc.world.ngo,
                                   issued_by=person.user)
    assert info.value.code == "no_consent"
    svc.consent(person, granted=True)
    svc.consent(person, granted=False)  # withdrawn: the latest decision counts
    with pytest.raises(ServiceError):
        services.certificate_issue(supervisee=person, organisation=svc.world.ngo,
                                   issued_by=person.user)
    assert not Certificate.objects.exists()


def test_certificate_counts_volunteer_service_only_in_the_recorders_name(svc):
    person = with_hours(svc)
    svc.consent(person)
    certificates = services.certificates_request(supervisee=person)
    # The squad recorded only public-welfare hours: no certificate in its name.
    assert [c.issuer_name for c in certificates] == [svc.world.ngo.name]
    certificate = certificates[0]
    assert certificate.hours == Decimal("3")
    assert certificate.serial.startswith(f"XYV-{timezone.localdate().year}-")
    assert len(certificate.code) == 16
    with pytest.raises(ServiceError) as info:
        services.certificate_issue(supervisee=person, unit=svc.world.squad1,
                                   issued_by=person.user)
    assert info.value.code == "no_hours"


def test_request_below_the_minimum_is_refused(svc):
    from volunteering.models import ServiceSettings

    person = with_hours(svc)
    settings = ServiceSettings.load()
    settings.certificate_min_hours = Decimal("10")
    settings.save()
    svc.consent(person)
    with pytest.raises(ServiceError) as info:
        services.certificates_request(supervisee=person)
    assert info.value.code == "too_few_hours"


def test_same_hours_are_not_certified_twice(svc):
    person = with_hours(svc)
    svc.consent(person)
    services.certificates_request(supervisee=person)
    with pytest.raises(ServiceError) as info:
        services.certificates_request(supervisee=person)
    assert info.value.code == "already_issued"
    assert Certificate.objects.count() == 1


def test_pdf_renders_chinese_text_and_names_the_issuer(svc, login):
    person = with_hours(svc)
    svc.consent(person)
    certificate = services.certificates_request(supervisee=person)[0]
    response = login(person.user).get(f"/service/certificates/{certificate.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    assert b"/STSong-Light" in data and b"/UniGB-UCS2-H" in data
    text = pdf_text(data)
    for expected in ("李明远", svc.world.ngo.name, certificate.serial, "环境清洁", "3",
                     f"/verify/{certificate.code}/"):
        assert expected in text, expected
    for never in ("矫正", "correction", "公益劳动"):
        assert never not in text


def test_pdf_is_refused_to_others(svc, login):
    person = with_hours(svc)
    svc.consent(person)
    certificate = services.certificates_request(supervisee=person)[0]
    url = f"/service/certificates/{certificate.pk}/certificate.pdf"
    assert login(svc.world.users["supervisee"]).get(url).status_code == 404
    assert login(svc.team_staff).get(url).status_code == 404
    assert login(svc.world.users["other_caseworker"]).get(url).status_code == 404
    assert login(svc.world.users["ngo"]).get(url).status_code == 200  # the issuer
    before = AccessLogEntry.objects.filter(supervisee=person).count()
    assert login(svc.world.users["caseworker"]).get(url).status_code == 200
    assert AccessLogEntry.objects.filter(supervisee=person).count() == before + 1


def test_public_verification_shows_only_what_it_may(svc, client):
    person = with_hours(svc)
    svc.consent(person)
    _a, _p, signup = attended(svc, person, hours="2", days_ago=5, title="第二次清洁")
    services.hours_adjust(actor=svc.world.users["ngo"], signup=signup, hours="1",
                          reason="更正：早退")
    certificate = services.certificates_request(supervisee=person)[0]
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "李**" in html and "李明远" not in html
    assert certificate.serial in html and svc.world.ngo.name in html
    assert "4" in html  # 3 + 1 hours
    for never in ("更正", "早退", "矫正", svc.world.squad1.name, person.id_number):
        assert never not in html


def test_revoked_certificate_shows_as_revoked(svc, client):
    person = with_hours(svc)
    svc.consent(person)
    certificate = services.certificates_request(supervisee=person)[0]
    with pytest.raises(ServiceError) as info:
        services.certificate_revoke(actor=svc.team_staff, certificate=certificate, reason="x")
    assert info.value.code == "not_allowed"
    services.certificate_revoke(actor=svc.world.users["ngo"], certificate=certificate,
                                reason="时长录入错误")
    html = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "revoked" in html.lower() or "撤销" in html
    assert "时长录入错误" not in html


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAA", "../../etc", "x" * 200, "%00"])
def test_forged_code_is_a_clear_404(client, db, code):
    response = client.get(f"/verify/{code}/")
    assert response.status_code == 404


def test_release_issues_certificates_with_consent(svc):
    person = with_hours(svc)
    svc.consent(person)
    person.status = Supervisee.Status.RELEASED
    person.released_on = timezone.localdate()
    person.save()
    certificate = Certificate.objects.get(supervisee=person)
    assert certificate.issuer_name == svc.world.ngo.name
    assert certificate.period_end <= timezone.localdate()


def test_release_without_consent_issues_nothing(svc):
    person = with_hours(svc)
    person.status = Supervisee.Status.RELEASED
    person.save()
    assert not Certificate.objects.exists()


def test_period_covers_the_activities_with_hours(svc):
    person = with_hours(svc)
    svc.consent(person)
    certificate = services.certificates_request(supervisee=person)[0]
    expected = timezone.localdate() - datetime.timedelta(days=20)
    assert abs((certificate.period_start - expected).days) <= 1
    assert certificate.period_start == certificate.period_end

"""Volunteer-service records (志愿服务记录证明): one per request, listing each volunteer-service
organisation's certified hours with that organisation as certifier, and the total; the
minimum applies to the total; only volunteer-service hours, only with consent; a PDF with
Chinese text and a QR code; a public verification page that shows only what it may.
Records are never edited: issuing, replacing and revoking each add a row."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.appendonly import AppendOnlyError
from portal.audit.models import AccessLogEntry
from portal.people.models import Supervisee
from volunteering import services
from volunteering.models import Certificate, CertificateRevocation, ServiceKind, ServiceSettings
from volunteering.services import ServiceError

from .pdftext import pdf_text
from .test_ledger import attended


def minimum(value):
    settings = ServiceSettings.load()
    settings.certificate_min_hours = Decimal(value)
    settings.save()


def with_hours(svc, person=None, **kwargs):
    """A person with 3 volunteer-service hours for the NGO and 2 public-welfare hours; a
    certificate needs 1 hour (the county's setting)."""
    minimum("1")
    person = person or svc.person(legal_name="李明远")
    attended(svc, person, hours="3", days_ago=20, **kwargs)
    attended(svc, person, hours="2", days_ago=10, kind=ServiceKind.PUBLIC_WELFARE,
             organisation=None, unit=svc.world.squad1, created_by=svc.world.users["caseworker"],
             title="公益劳动")
    return person


def test_certificate_needs_consent(svc):
    person = with_hours(svc)
    with pytest.raises(ServiceError) as info:
        services.certificate_issue(supervisee=person, issued_by=person.user)
    assert info.value.code == "no_consent"
    svc.consent(person, granted=True)
    svc.consent(person, granted=False)  # withdrawn: the latest decision counts
    with pytest.raises(ServiceError):
        services.certificates_request(supervisee=person)
    assert not Certificate.objects.exists()


def test_one_record_lists_each_organisation_as_certifier_and_the_total(svc):
    person = with_hours(svc)
    attended(svc, person, hours="2", days_ago=15, organisation=svc.team,
             created_by=svc.team_staff, title="敬老院陪伴")
    svc.consent(person)
    certificate = services.certificates_request(supervisee=person)
    lines = {line.organisation_name: line.hours for line in certificate.lines.all()}
    # The squad recorded only public-welfare hours: it certifies nothing.
    assert lines == {svc.world.ngo.name: Decimal("3"), svc.team.name: Decimal("2")}
    assert certificate.hours == Decimal("5")
    assert certificate.serial.startswith(f"XYV-{timezone.localdate().year}-")
    assert len(certificate.code) == 16
    assert Certificate.objects.count() == 1


def test_the_minimum_applies_to_the_total_not_per_organisation(svc):
    person = with_hours(svc)
    attended(svc, person, hours="2", days_ago=15, organisation=svc.team,
             created_by=svc.team_staff, title="敬老院陪伴")
    svc.consent(person)
    minimum("6")
    with pytest.raises(ServiceError) as info:
        services.certificates_request(supervisee=person)
    assert info.value.code == "too_few_hours" and "5" in info.value.message
    minimum("5")  # 3 h and 2 h: each under it, together enough
    certificate = services.certificates_request(supervisee=person)
    assert certificate.hours == Decimal("5") and certificate.lines.count() == 2


def test_same_hours_are_not_certified_twice_and_new_hours_replace_the_record(svc, client):
    person = with_hours(svc)
    svc.consent(person)
    first = services.certificates_request(supervisee=person)
    with pytest.raises(ServiceError) as info:
        services.certificates_request(supervisee=person)
    assert info.value.code == "already_issued"
    attended(svc, person, hours="2", days_ago=2, title="又一次清洁")
    second = services.certificates_request(supervisee=person)
    assert second.replaces == first and second.hours == Decimal("5")
    first = Certificate.objects.get(pk=first.pk)
    assert first.hours == Decimal("3") and not first.is_valid and second.is_valid
    # The old code answers with the new record.
    html = client.get(f"/verify/{first.code}/").content.decode()
    assert second.serial in html and first.serial in html and "5" in html
    body = client.get(f"/api/v1/certificates/verify/{first.code}").json()
    assert body["serial"] == second.serial and body["replaced"] is True
    assert body["asked_serial"] == first.serial and body["hours"] == 5 and body["valid"]


def test_certificate_rows_are_never_edited(svc):
    person = with_hours(svc)
    svc.consent(person)
    certificate = services.certificates_request(supervisee=person)
    certificate.hours = Decimal("99")
    with pytest.raises(AppendOnlyError):
        certificate.save()
    with pytest.raises(AppendOnlyError):
        Certificate.objects.filter(pk=certificate.pk).update(hours=Decimal("99"))
    with pytest.raises(AppendOnlyError):
        certificate.delete()
    with pytest.raises(AppendOnlyError):
        certificate.lines.update(hours=Decimal("99"))
    revocation = services.certificate_revoke(actor=svc.world.users["ngo"],
                                             certificate=certificate, reason="录错了")
    with pytest.raises(AppendOnlyError):
        revocation.delete()


def test_pdf_renders_chinese_text_and_names_each_certifier(svc, login):
    person = with_hours(svc)
    svc.consent(person)
    services.volunteer_number_set(actor=person.user, supervisee=person, number="33010012345")
    certificate = services.certificates_request(supervisee=person)
    response = login(person.user).get(f"/service/certificates/{certificate.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    assert b"/STSong-Light" in data and b"/UniGB-UCS2-H" in data
    text = pdf_text(data)
    for expected in ("李明远", svc.world.ngo.name, certificate.serial, "环境清洁", "3",
                     "33010012345", "志愿服务记录证明", f"/verify/{certificate.code}/"):
        assert expected in text, expected
    for never in ("矫正", "correction", "公益劳动", svc.world.squad1.name):
        assert never not in text


def test_a_replaced_records_pdf_leads_to_the_new_one(svc, login):
    person = with_hours(svc)
    svc.consent(person)
    old = services.certificates_request(supervisee=person)
    new = services.certificate_replace(actor=svc.world.users["caseworker"], certificate=old,
                                       reason="重新出具")
    response = login(person.user).get(f"/service/certificates/{old.pk}/certificate.pdf")
    assert response.status_code == 302
    assert response["Location"] == f"/service/certificates/{new.pk}/certificate.pdf"


def test_pdf_is_refused_to_others(svc, login):
    person = with_hours(svc)
    svc.consent(person)
    certificate = services.certificates_request(supervisee=person)
    url = f"/service/certificates/{certificate.pk}/certificate.pdf"
    assert login(svc.world.users["supervisee"]).get(url).status_code == 404
    assert login(svc.team_staff).get(url).status_code == 404  # certifies nothing on it
    assert login(svc.world.users["other_caseworker"]).get(url).status_code == 404
    assert login(svc.world.users["ngo"]).get(url).status_code == 200  # a certifier
    before = AccessLogEntry.objects.filter(supervisee=person).count()
    assert login(svc.world.users["caseworker"]).get(url).status_code == 200
    assert AccessLogEntry.objects.filter(supervisee=person).count() == before + 1


def test_public_verification_shows_only_what_it_may(svc, client):
    person = with_hours(svc)
    svc.consent(person)
    _a, _p, signup = attended(svc, person, hours="2", days_ago=5, title="第二次清洁")
    services.hours_adjust(actor=svc.world.users["ngo"], signup=signup, hours="1",
                          reason="更正：早退")
    certificate = services.certificates_request(supervisee=person)
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "李**" in html and "李明远" not in html
    assert certificate.serial in html and svc.world.ngo.name in html
    assert "4" in html  # 3 + 1 hours
    for never in ("更正", "早退", "矫正", svc.world.squad1.name, person.id_number):
        assert never not in html
    # No link to the portal's home page, whose title names its purpose.
    assert 'href="/"' not in html


def test_revoking_adds_a_row_and_shows_as_revoked(svc, client):
    person = with_hours(svc)
    svc.consent(person)
    certificate = services.certificates_request(supervisee=person)
    with pytest.raises(ServiceError) as info:
        services.certificate_revoke(actor=svc.team_staff, certificate=certificate, reason="x")
    assert info.value.code == "not_allowed"
    with pytest.raises(ServiceError) as info:
        services.certificate_revoke(actor=svc.world.users["ngo"], certificate=certificate,
                                    reason=" ")
    assert info.value.code == "reason_required"
    services.certificate_revoke(actor=svc.world.users["ngo"], certificate=certificate,
                                reason="时长录入错误")
    assert CertificateRevocation.objects.get().certificate_id == certificate.pk
    with pytest.raises(ServiceError) as info:
        services.certificate_revoke(actor=svc.world.users["caseworker"],
                                    certificate=certificate, reason="again")
    assert info.value.code == "already_revoked"
    html = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "revoked" in html.lower() or "撤销" in html
    assert "时长录入错误" not in html
    assert client.get(f"/api/v1/certificates/verify/{certificate.code}").json()["valid"] is False


def test_replacing_names_the_old_record_and_cannot_happen_twice(svc):
    person = with_hours(svc)
    svc.consent(person)
    old = services.certificates_request(supervisee=person)
    with pytest.raises(ServiceError) as info:
        services.certificate_replace(actor=svc.world.users["other_caseworker"],
                                     certificate=old, reason="x")
    assert info.value.code == "not_allowed"
    new = services.certificate_replace(actor=svc.world.users["caseworker"], certificate=old,
                                       reason="时长更正后重新出具")
    assert new.replaces_id == old.pk and new.replace_reason == "时长更正后重新出具"
    with pytest.raises(ServiceError) as info:
        services.certificate_replace(actor=svc.world.users["caseworker"], certificate=old,
                                     reason="again")
    assert info.value.code == "already_replaced"
    assert Certificate.objects.count() == 2


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAA", "../../etc", "x" * 200, "%00"])
def test_forged_code_is_a_clear_404(client, db, code):
    response = client.get(f"/verify/{code}/")
    assert response.status_code == 404


def test_release_issues_the_record_with_consent(svc):
    person = with_hours(svc)
    svc.consent(person)
    person.status = Supervisee.Status.RELEASED
    person.released_on = timezone.localdate()
    person.save()
    certificate = Certificate.objects.get(supervisee=person)
    assert [x.organisation_id for x in certificate.lines.all()] == [svc.world.ngo.pk]
    assert certificate.period_end <= timezone.localdate()


def test_release_without_consent_issues_nothing(svc):
    person = with_hours(svc)
    person.status = Supervisee.Status.RELEASED
    person.save()
    assert not Certificate.objects.exists()


def test_period_covers_the_activities_with_hours(svc):
    person = with_hours(svc)
    svc.consent(person)
    certificate = services.certificates_request(supervisee=person)
    expected = timezone.localdate() - datetime.timedelta(days=20)
    assert abs((certificate.period_start - expected).days) <= 1
    assert certificate.period_start == certificate.period_end


def test_a_units_volunteer_service_is_certified_by_its_recording_partner(svc):
    person = with_hours(svc)
    svc.consent(person)
    attended(svc, person, hours="2", days_ago=4, organisation=None, unit=svc.world.squad1,
             recording_organisation=svc.team, created_by=svc.world.users["caseworker"],
             title="中队组织的志愿服务")
    # Before the rule, a unit's volunteer service without a recorder: certified by nobody.
    attended(svc, person, hours="4", days_ago=6, organisation=None, unit=svc.world.squad1,
             created_by=svc.world.users["caseworker"], title="旧的单位志愿服务")
    certificate = services.certificates_request(supervisee=person)
    lines = {line.organisation_id: line.hours for line in certificate.lines.all()}
    assert lines == {svc.world.ngo.pk: Decimal("3"), svc.team.pk: Decimal("2")}
    assert certificate.hours == Decimal("5")


def test_person_and_staff_set_the_volunteer_number(svc, login):
    person = with_hours(svc, svc.world.supervisee)
    client = login(person.user)
    response = client.post("/service/me/volunteer-number/", {"volunteer_number": "x y"})
    assert response.status_code == 302
    assert not hasattr(Supervisee.objects.get(pk=person.pk), "volunteer_profile")
    client.post("/service/me/volunteer-number/", {"volunteer_number": "zj2024001"})
    assert Supervisee.objects.get(pk=person.pk).volunteer_profile.volunteer_number == "ZJ2024001"
    assert "ZJ2024001" in client.get("/service/me/").content.decode()
    staff = login(svc.world.users["caseworker"])
    url = f"/service/people/{person.pk}/volunteer-number/"
    assert staff.post(url, {"volunteer_number": "ZJ2024002"}).status_code == 302
    assert Supervisee.objects.get(pk=person.pk).volunteer_profile.volunteer_number == "ZJ2024002"
    assert login(svc.world.users["other_caseworker"]).post(
        url, {"volunteer_number": "ZJ0"}).status_code == 404
    svc.consent(person)
    assert services.certificates_request(supervisee=person).volunteer_number == "ZJ2024002"

"""The export for the national volunteer-service system: volunteer-service hours of people
who consented, never public-welfare hours; XLSX and CSV; every export logged."""

import csv
import io

from django.utils import timezone
from openpyxl import load_workbook

from portal.audit.models import AccessLogEntry
from portal.people.models import Consent
from volunteering.models import ServiceKind

from .test_ledger import attended


def setup_people(svc):
    yes = svc.person(legal_name="王志愿", id_number="410100199001011111")
    no = svc.person(legal_name="赵不愿", id_number="410100199001012222")
    svc.consent(yes, kind=Consent.Kind.VOLUNTEER_EXPORT)
    svc.consent(no, kind=Consent.Kind.VOLUNTEER_EXPORT, granted=False)
    activity, _p, _s = attended(svc, yes, hours="3")
    attended(svc, no, hours="2", title="另一次清洁")
    # Public-welfare hours of the consenting person, by a unit: never exported.
    attended(svc, yes, hours="2", days_ago=6, kind=ServiceKind.PUBLIC_WELFARE, organisation=None,
             unit=svc.world.squad1, created_by=svc.world.users["caseworker"], title="公益劳动")
    return yes, no, activity


def test_xlsx_has_the_columns_and_only_consenting_volunteer_service(svc, login):
    yes, no, activity = setup_people(svc)
    client = login(svc.world.users["ngo"])
    response = client.get("/service/export/", {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    row = dict(zip(range(11), rows[1], strict=True))
    assert row[0] == "王志愿" and row[2] == "410100199001011111"
    assert row[3] == timezone.localdate(activity.starts_at).isoformat()
    assert len(rows[0]) == 11
    assert row[4] == 3 and "环境清洁" in row[5] and row[6] == svc.world.ngo.name
    # No volunteer number yet; the export this row is in, and no earlier one.
    assert row[7] is None and row[8].startswith("XYE-") and row[10] is None
    text = str(rows)
    assert "赵不愿" not in text and "公益劳动" not in text


def test_csv_and_the_log(svc, login):
    yes, _no, activity = setup_people(svc)
    client = login(svc.world.users["ngo"])
    response = client.get("/service/export/", {"format": "csv", "activity": activity.pk})
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 2 and rows[1][0] == "王志愿"
    logged = AccessLogEntry.objects.filter(action="export")
    assert logged.filter(supervisee=yes).count() == 1
    assert logged.filter(supervisee__isnull=True, actor=svc.world.users["ngo"]).count() == 1


def test_public_welfare_never_exported_even_by_the_unit(svc, login):
    setup_people(svc)
    response = login(svc.world.users["caseworker"]).get("/service/export/", {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1  # header only


def test_other_partners_export_nothing_of_ours(svc, login):
    setup_people(svc)
    response = login(svc.team_staff).get("/service/export/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1


def test_export_refused_to_people_who_organise_nothing(svc, login):
    for role in ("supervisee", "enterprise", "editor"):
        assert login(svc.world.users[role]).get("/service/export/").status_code == 403


def test_bad_period_is_a_form_error_not_a_file(svc, login):
    response = login(svc.world.users["ngo"]).get(
        "/service/export/", {"format": "csv", "date_from": "2025-05-01", "date_to": "2025-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_formula_like_text_is_kept_as_text(svc):
    from volunteering.exports import _text

    assert _text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _text("王") == "王"


# --- who gets names and ID numbers ---------------------------------------------------------
# The national system needs the name and ID number, so the export carries them by design;
# what guards them is who may download, for whom, and that every download is logged.


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_partner_never_gets_a_juvenile_even_with_consent(svc, login):
    juvenile = svc.world.juvenile
    svc.consent(juvenile, kind=Consent.Kind.VOLUNTEER_EXPORT)
    # Even if a juvenile's hours ended up on the NGO's activity, the NGO cannot export them.
    attended(svc, juvenile, hours="2", suitable_for_juveniles=True)
    rows = _csv(login(svc.world.users["ngo"]).get("/service/export/", {"format": "csv"}))
    assert len(rows) == 1
    assert juvenile.id_number not in str(rows) and juvenile.legal_name not in str(rows)
    assert not AccessLogEntry.objects.filter(action="export", supervisee=juvenile).exists()


def test_a_withdrawn_consent_takes_the_person_out(svc, login):
    yes, _no, _activity = setup_people(svc)
    client = login(svc.world.users["ngo"])
    assert len(_csv(client.get("/service/export/", {"format": "csv"}))) == 2
    svc.consent(yes, kind=Consent.Kind.VOLUNTEER_EXPORT, granted=False)
    rows = _csv(client.get("/service/export/", {"format": "csv"}))
    assert len(rows) == 1 and yes.id_number not in str(rows)


def test_the_unit_exports_its_own_activities_for_people_it_may_see(svc, login):
    person = svc.person(legal_name="钱志愿", id_number="410100199001013333")
    svc.consent(person, kind=Consent.Kind.VOLUNTEER_EXPORT)
    attended(svc, person, hours="2", organisation=None, unit=svc.world.squad1,
             recording_organisation=svc.team, created_by=svc.world.users["caseworker"],
             title="单位志愿服务")
    rows = _csv(login(svc.world.users["caseworker"]).get("/service/export/", {"format": "csv"}))
    assert len(rows) == 2 and rows[1][2] == "410100199001013333"
    # The recording partner goes to the national system, never the squad.
    assert rows[1][6] == svc.team.name and svc.world.squad1.name not in str(rows)
    # Another squad's caseworker, and the NGO (not the organiser), get nothing of it.
    for who in ("other_caseworker", "ngo"):
        rows = _csv(login(svc.world.users[who]).get("/service/export/", {"format": "csv"}))
        assert "410100199001013333" not in str(rows)


def test_every_download_is_logged_per_person(svc, login):
    yes, no, _activity = setup_people(svc)
    client = login(svc.world.users["ngo"])
    for fmt in ("csv", "xlsx"):
        assert client.get("/service/export/", {"format": fmt}).status_code == 200
    logged = AccessLogEntry.objects.filter(action="export", actor=svc.world.users["ngo"])
    assert logged.filter(supervisee=yes).count() == 2
    assert logged.filter(supervisee__isnull=True).count() == 2
    assert not logged.filter(supervisee=no).exists()  # not in the file, not logged as in it
    assert {e.path for e in logged} == {"/service/export/"}


def test_each_row_says_which_export_it_went_into_and_when_before(svc, login):
    from volunteering import services

    yes, _no, _activity = setup_people(svc)
    services.volunteer_number_set(actor=yes.user, supervisee=yes, number="3301-2024-0001")
    client = login(svc.world.users["ngo"])
    first = _csv(client.get("/service/export/", {"format": "csv"}))
    assert first[1][7] == "3301-2024-0001" and first[1][10] == ""
    number = first[1][8]
    second = _csv(client.get("/service/export/", {"format": "csv"}))
    assert second[1][8] != number and second[1][8].startswith("XYE-")
    assert number in second[1][10] and second[1][9]
    from volunteering.models import ExportedHours, VolunteerExport
    assert VolunteerExport.objects.count() == 2
    assert ExportedHours.objects.filter(supervisee=yes).count() == 2


def test_a_units_volunteer_service_without_a_recorder_is_not_exported(svc, login):
    person = svc.person(legal_name="孙无记录", id_number="410100199001014444")
    svc.consent(person, kind=Consent.Kind.VOLUNTEER_EXPORT)
    attended(svc, person, hours="2", organisation=None, unit=svc.world.squad1,
             created_by=svc.world.users["caseworker"], title="旧的单位志愿服务")
    rows = _csv(login(svc.world.users["caseworker"]).get("/service/export/", {"format": "csv"}))
    assert "410100199001014444" not in str(rows) and svc.world.squad1.name not in str(rows)

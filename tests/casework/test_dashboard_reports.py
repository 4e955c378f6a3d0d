import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from casework.services import help_plan_save
from courses.models import Enrolment
from helpnet.models import Referral
from portal.audit.models import AccessLogEntry
from tests.courses import factories as cf
from volunteering.models import ServiceKind

pytestmark = pytest.mark.django_db


def _outcomes(world, build, person, *, n=1):
    for i in range(n):
        course = cf.course_create(title=f"课程{person.pk}-{i}", unit=world.bureau)
        Enrolment.objects.create(supervisee=person, course=course, status="completed",
                                 completed_at=timezone.now())
        build.study(person, 2)
        build.service(person, 3)
        build.service(person, 4, kind=ServiceKind.VOLUNTEER_SERVICE)
        build.placement(person, still_employed_90=True)
        build.referral(person, status=Referral.Status.CLOSED, consent_days_ago=3,
                       closed_at=timezone.now(), outcome="achieved")


def test_unit_dashboard_shows_outcomes_with_charts_and_tables(world, build, login):
    _outcomes(world, build, world.supervisee)
    _outcomes(world, build, world.other_supervisee)
    client = login(world.users["unit_admin"])
    response = client.get(f"/casework/units/{world.bureau.pk}/")
    assert response.status_code == 200
    o = response.context["outcomes"]
    assert o.completions_total == 2 and o.placed == 2 and o.employed_90 == 2
    assert o.study_total == 4 and o.public_welfare_total == 6 and o.volunteer_total == 8
    assert o.referrals_closed == 2
    assert dict(o.referral_outcomes)[str(Referral.Outcome.ACHIEVED.label)] == 2
    rows = {r.unit.name: r for r in o.unit_rows}
    assert rows["第一中队"].completions == 1 and rows["第二中队"].placed == 1
    html = response.content.decode()
    assert html.count("<svg") >= 4 and "<title id=" in html and "<desc id=" in html


def test_caseworker_dashboard_covers_their_squad_only(world, build, login):
    _outcomes(world, build, world.supervisee)
    _outcomes(world, build, world.other_supervisee)
    client = login(world.users["caseworker"])
    response = client.get("/casework/units/")
    assert response.context["unit"] == world.squad1
    assert response.context["outcomes"].completions_total == 1
    assert client.get(f"/casework/units/{world.squad2.pk}/").status_code == 404
    assert client.get(f"/casework/units/{world.bureau.pk}/").status_code == 404
    assert client.get(f"/casework/units/{world.squad2.pk}/report/?period=month"
                      "&month=2026-01&format=xlsx").status_code == 404


def test_unit_dashboard_query_count_does_not_grow(world, build, login,
                                                  django_assert_num_queries):
    client = login(world.users["unit_admin"])
    _outcomes(world, build, world.supervisee)
    url = f"/casework/units/{world.bureau.pk}/"
    client.get(url)  # warm the per-process caches (site root, settings)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    for __ in range(3):
        _outcomes(world, build, build.person(), n=2)
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(url)


def _period():
    today = timezone.localdate()
    return f"{today:%Y-%m}", f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def test_monthly_xlsx_and_quarterly_pdf_reports_are_made_and_logged(world, build, login):
    from openpyxl import load_workbook

    _outcomes(world, build, world.supervisee)
    client = login(world.users["unit_admin"])
    month, quarter = _period()
    base = f"/casework/units/{world.bureau.pk}/report/"
    response = client.get(f"{base}?period=month&month={month}&format=xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(values_only=True)}
    with translation.override("zh-hans"):  # the portal's default language
        completed, placed = gettext("Courses completed"), gettext("People placed in jobs")
    assert completed != "Courses completed"  # the report really is in Chinese
    assert summary[completed] == 1 and summary[placed] == 1
    response = client.get(f"{base}?period=quarter&quarter={quarter}&format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"/STSong-Light" in response.content
    assert AccessLogEntry.objects.filter(actor=world.users["unit_admin"],
                                         action="export").count() == 2


def test_a_report_with_a_nonsense_period_is_a_400_with_a_message(world, login):
    client = login(world.users["unit_admin"])
    response = client.get(f"/casework/units/{world.bureau.pk}/report/?period=month"
                          "&month=2026-13&format=exe")
    assert response.status_code == 400
    with translation.override("zh-hans"):
        message = gettext("The report could not be made from these values; nothing was exported.")
    assert message in response.content.decode()
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_person_downloads_their_own_data_and_it_is_logged(world, build, login):
    person = world.supervisee
    _outcomes(world, build, person)
    help_plan_save(supervisee=person, changed_by=world.users["caseworker"], goals="稳定就业")
    build.referral(world.other_supervisee, consent_days_ago=3)  # someone else's
    page = login(person.user).get("/casework/me/export/")
    assert page.status_code == 200 and "data.json" in page.content.decode()
    assert not AccessLogEntry.objects.filter(action="export").exists()  # not downloaded yet
    response = login(person.user).get("/casework/me/export/?download=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    # README.txt names each part in Chinese beside its key (and in English after).
    readme = archive.read("README.txt").decode()
    assert "service_hours — 您的志愿服务时长" in readme and "service_hours — Your" in readme
    assert data["record"]["legal_name"] == person.legal_name
    assert data["help_plan"]["goals"] == "稳定就业"
    assert len(data["referrals"]) == 1 and len(data["placements"]) == 1
    assert len(data["service_hours"]) == 2 and data["courses"]
    assert AccessLogEntry.objects.filter(actor=person.user, supervisee=person,
                                         action="export").exists()


def test_staff_have_no_own_data_export(world, login):
    assert login(world.users["caseworker"]).get("/casework/me/export/").status_code == 404


def test_standing_this_month_and_over_the_term(world, build):
    from casework.selectors import standing_for

    person = world.supervisee  # ordinary: 8 study and 8 service hours a month
    today = timezone.localdate()
    build.study(person, 8)
    build.service(person, 2)
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    build.study(person, 3, day=last_month)
    s = standing_for(person, today=today)
    assert s.study_month == 8 and not s.behind_study
    assert s.service_month == 2
    assert s.study_term == 11
    assert s.months[0].month == today.replace(day=1)
    assert not s.months[1].study_met

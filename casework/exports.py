"""Files made from casework lists and figures: CSV lists, the unit report (XLSX with
openpyxl, PDF with ReportLab and the CID font STSong-Light so Chinese renders without a
font file), and a person's own data as JSON in a ZIP. Callers log every export."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Text for a CSV cell; a leading formula character is defused (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = f"{value:.2f}".rstrip("0").rstrip(".") or "0"
    text = str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(rows, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese as UTF-8
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return response


def caseload_rows(qs):
    yield [_("Name"), _("Unit"), _("Caseworker"), _("Level"), _("Status"), _("Juvenile"),
           _("Term ends"), _("Study hours this month"), _("Study hours expected by today"),
           _("Service hours this month"), _("Service hours signed up for"),
           _("Service hours expected by today"), _("Open referrals")]
    for p in qs.iterator(chunk_size=500):
        yield [p.legal_name, p.unit.name, str(p.caseworker or ""), p.get_level_display(),
               p.get_status_display(), _("yes") if p.is_juvenile else _("no"),
               p.term_end.isoformat(), p.study_month, p.study_expected, p.service_month,
               p.service_planned, p.service_expected, p.open_referrals]


def today_rows(data: dict):
    """The today list's rows (casework/today.py) as the CSV's lines."""
    from helpnet.models import Referral
    from portal.templatetags.xy_tags import choice_labels

    statuses = choice_labels(Referral, "status")
    yield [_("Section"), _("Name"), _("Unit"), _("Detail"), _("Date")]
    for p in data["behind"]:
        yield [_("Behind this month"), p.legal_name, p.unit_name,
               _("study %(s)s of %(se)s, service %(v)s of %(ve)s") % {
                   "s": _cell(p.study_month), "se": _cell(p.study_expected),
                   "v": _cell(p.service_month + p.service_planned),
                   "ve": _cell(p.service_expected)}, ""]
    for p in data["unreachable"]:
        yield [_("No reachable public-welfare activity"), p.legal_name, p.unit_name,
               _("%(n)s hours still needed, %(o)s open") % {
                   "n": _cell(p.needed), "o": _cell(p.open_hours)}, ""]
    for e in data["unconfirmed"]:
        yield [_("Hours waiting for confirmation"), e.legal_name,
               e.recorder_name, _cell(e.hours), e.service_date.isoformat()]
    for r in data["overdue"]:
        yield [_("Referral overdue"), r.legal_name, r.service, statuses.get(r.status, r.status),
               timezone.localdate(r.consent_at).isoformat() if r.consent_at else ""]
    for plan in data["reviews"]:
        yield [_("Help plan to review"), plan.legal_name, "", "",
               plan.review_on.isoformat()]
    for p in data["releasing"]:
        yield [_("Release coming"), p.legal_name, p.unit_name,
               _("certificate to issue") if p.certificate_to_issue else "",
               p.term_end.isoformat()]


# --- Unit report -------------------------------------------------------------------------------

def _report_tables(outcomes, period: str) -> list[tuple[str, list[list]]]:
    o = outcomes
    summary = [
        [_("Unit"), o.unit.name],
        [_("Period"), f"{period} ({o.start.isoformat()} – {o.end.isoformat()})"],
        [_("Under correction"), o.people["in_correction"]],
        [_("In post-release help"), o.people["released"]],
        [_("People in help"), o.people["in_help"]],
        [_("Courses completed"), o.completions_total],
        [_("Study hours"), o.study_total],
        [_("Public-welfare hours"), o.public_welfare_total],
        [_("Volunteer-service hours"), o.volunteer_total],
        [_("People placed in jobs"), o.placed],
        [_("90-day follow-ups done"), o.followed_90],
        [_("Still employed at 90 days"), o.employed_90],
        [_("Referrals closed"), o.referrals_closed],
        [_("Referrals open now"), o.referrals_open],
    ]
    months = [[_("Month"), _("Courses completed"), _("Study hours"), _("Public-welfare hours"),
               _("Volunteer-service hours"), _("People placed in jobs")]]
    for r in o.month_rows:
        months.append([f"{r['month']:%Y-%m}", r["completions"], r["study"],
                       r["public_welfare"], r["volunteer"], r["placements"]])
    units = [[_("Unit"), _("People in help"), _("Courses completed"), _("Study hours"),
              _("Service hours"), _("People placed in jobs"), _("Referrals closed")]]
    for r in o.unit_rows:
        units.append([("  " * r.depth) + r.unit.name, r.in_help, r.completions, r.study,
                      r.service, r.placed, r.referrals_closed])
    referrals = [[_("Outcome"), _("Referrals")]] + [[label, n] for label, n in
                                                    o.referral_outcomes]
    return [(_("Summary"), summary), (_("By month"), months), (_("By unit"), units),
            (_("Referral outcomes"), referrals)]


def report_xlsx(outcomes, *, period: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in _report_tables(outcomes, period):
        ws = wb.create_sheet(title=title[:31])
        for i, row in enumerate(rows):
            ws.append([float(v) if isinstance(v, Decimal) else
                       v if isinstance(v, int | float | str) or v is None else str(v)
                       for v in row])
            if i == 0 and title != _("Summary"):
                for cell in ws[1]:
                    cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 28
        for col in "BCDEFG":
            ws.column_dimensions[col].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(outcomes, *, period: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from volunteering.pdf import cjk_font

    font = cjk_font()
    title_style = ParagraphStyle("t", fontName=font, fontSize=16, leading=22)
    head_style = ParagraphStyle("h", fontName=font, fontSize=12, leading=18, spaceBefore=8)
    cell_style = ParagraphStyle("c", fontName=font, fontSize=9, leading=12)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm,
                            title=f"{_('Unit report')} {outcomes.unit.name} {period}")
    story = [Paragraph(escape(f"{outcomes.unit.name} · {_('Unit report')} · {period}"),
                       title_style), Spacer(1, 4 * mm)]
    for title, rows in _report_tables(outcomes, period):
        story.append(Paragraph(escape(title), head_style))
        data = [[Paragraph(escape(_cell(v)), cell_style) for v in row] for row in rows]
        table = Table(data, repeatRows=0 if title == _("Summary") else 1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *([] if title == _("Summary") else
              [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3ead8"))]),
        ]))
        story.append(table)
    doc.build(story)
    return out.getvalue()


# --- A person's own data -----------------------------------------------------------------------

def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else (
            value.isoformat())
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def personal_data(supervisee) -> dict:
    """Everything the portal keeps about the person that is theirs to see: the record,
    consents, help plan, courses, study and service hours, certificates, applications,
    placements, referrals (status and outcome; never a counsellor's notes), fund
    applications. A fixed number of queries."""
    from casework.models import HelpPlan
    from courses.models import Attendance, Enrolment, SessionSignup, StudyHoursEntry
    from employment.models import Application, Placement
    from helpnet.models import Appointment, FundApplication, Referral
    from volunteering.models import Certificate, HoursEntry, Signup

    s = supervisee
    plan = HelpPlan.objects.filter(supervisee=s).prefetch_related("courses").first()
    return {
        "format": "xiangyang-personal-data/1",
        "exported_at": timezone.now(),
        "record": {
            "legal_name": s.legal_name, "alias": s.alias, "gender": s.get_gender_display(),
            "birth_date": s.birth_date, "id_type": s.get_id_type_display(),
            "id_number": s.id_number, "unit": s.unit.name,
            "caseworker": str(s.caseworker or ""),
            "sentence_kind": s.get_sentence_kind_display(), "term_start": s.term_start,
            "term_end": s.term_end, "management_level": s.get_level_display(),
            "status": s.get_status_display(), "released_on": s.released_on,
            "help_ends_on": s.help_ends_on,
            "home_district": s.home_district.name if s.home_district else "",
            "skills": [k.name for k in s.skills.all()],
            "prohibition_orders": [{"kind": p.get_kind_display(), "description": p.description,
                                    "from": p.starts_on, "until": p.ends_on}
                                   for p in s.prohibitions.all()],
            "occupational_bans": [{"industry": str(b.industry), "description": b.description,
                                   "from": b.starts_on, "until": b.ends_on}
                                  for b in s.occupational_bans.select_related("industry")],
        },
        "consents": [{"consent": c.get_kind_display(), "granted": c.granted,
                      "recorded_at": c.recorded_at} for c in s.consents.order_by("recorded_at")],
        "help_plan": None if plan is None else {
            "goals": plan.goals, "courses": [c.title for c in plan.courses.all()],
            "service_expectations": plan.service_expectations,
            "employment_steps": plan.employment_steps, "referral_steps": plan.referral_steps,
            "review_on": plan.review_on, "updated_at": plan.updated_at,
        },
        "courses": [{"course": e.course.title, "how": e.get_source_display(),
                     "status": e.get_status_display(), "enrolled_at": e.enrolled_at,
                     "completed_at": e.completed_at, "due_on": e.due_on}
                    for e in Enrolment.objects.filter(supervisee=s).select_related("course")],
        "class_signups": [{"course": x.session.course.title, "starts_at": x.session.starts_at,
                           "status": x.get_status_display(), "signed_up_at": x.created_at}
                          for x in SessionSignup.objects.filter(supervisee=s)
                          .select_related("session__course")],
        "class_attendance": [{"course": a.session.course.title,
                              "starts_at": a.session.starts_at,
                              "status": a.get_status_display(), "recorded_at": a.recorded_at,
                              "reason": a.reason}
                             for a in Attendance.objects.filter(supervisee=s)
                             .select_related("session__course")],
        "study_hours": [{"hours": h.hours, "kind": h.get_kind_display(),
                         "counts_for": h.credited_on,
                         "course": h.course.title if h.course else "", "reason": h.reason,
                         "recorded_at": h.created_at}
                        for h in StudyHoursEntry.objects.filter(supervisee=s)
                        .select_related("course").order_by("credited_on", "pk")],
        "activity_signups": [{"activity": x.activity.title, "starts_at": x.activity.starts_at,
                              "status": x.get_status_display(),
                              "attendance": x.get_attendance_display(),
                              "signed_up_at": x.created_at}
                             for x in Signup.objects.filter(supervisee=s)
                             .select_related("activity")],
        "service_hours": [{"hours": h.hours, "kind": h.get_kind_display(),
                           "service_date": h.service_date,
                           "activity": h.activity.title if h.activity else "",
                           "recorded_by_body": h.recorder_name, "reason": h.reason,
                           "confirmed": getattr(h, "confirmation", None) is not None,
                           "recorded_at": h.recorded_at}
                          for h in HoursEntry.objects.filter(supervisee=s)
                          .select_related("activity", "organisation", "unit", "confirmation")
                          .order_by("service_date", "pk")],
        "certificates": [{"serial": c.serial, "hours": c.hours,
                          "certifiers": [{"organisation": x.organisation_name,
                                          "hours": x.hours} for x in c.lines.all()],
                          "from": c.period_start, "until": c.period_end,
                          "issued_at": c.issued_at,
                          "revoked_at": c.revocation.revoked_at if c.is_revoked else None,
                          "replaced_by": c.replaced_by.serial if c.is_replaced else None}
                         for c in Certificate.objects.filter(supervisee=s)
                         .select_related("revocation", "replaced_by")
                         .prefetch_related("lines")],
        "job_applications": [{"opening": (a.job.title if a.job_id else
                                          a.training_place.programme if a.training_place_id
                                          else ""),
                              "enterprise": a.organisation.name,
                              "status": a.status_label, "created_at": a.created_at,
                              "message": a.message}
                             for a in Application.objects.filter(supervisee=s)
                             .select_related("job", "training_place", "organisation")],
        "placements": [{"job": p.job.title, "enterprise": p.organisation.name,
                        "started_on": p.started_on, "left_on": p.ended_on}
                       for p in Placement.objects.filter(supervisee=s)
                       .select_related("job", "organisation")],
        "referrals": [{"service": r.service.name, "provider": r.service.organisation.name,
                       "status": r.get_status_display(), "referred_at": r.created_at,
                       "consent_at": r.consent_at, "closed_at": r.closed_at,
                       "outcome": r.get_outcome_display()}
                      for r in Referral.objects.filter(supervisee=s)
                      .select_related("service__organisation")],
        "counselling_appointments": [
            {"provider": a.slot.organisation.name, "starts_at": a.slot.starts_at,
             "status": a.get_status_display()}
            for a in Appointment.objects.filter(supervisee=s)
            .select_related("slot__organisation")],
        "fund_applications": [{"for_whom": f.get_beneficiary_display(), "need": f.need,
                               "amount": f.amount, "status": f.get_status_display(),
                               "amount_approved": f.amount_approved,
                               "submitted_at": f.created_at, "decided_at": f.decided_at}
                              for f in FundApplication.objects.filter(supervisee=s)],
    }


# What each part of data.json holds: the export page lists them before the download and
# README.txt names them beside their keys.
EXPORT_SECTIONS = [
    ("record", gettext_lazy("Your record: name, identity document, unit, term, management "
                            "level, skills, prohibition orders and occupational bans")),
    ("consents", gettext_lazy("What you agreed to, and when")),
    ("help_plan", gettext_lazy("Your help plan")),
    ("courses", gettext_lazy("Your courses and how far you are")),
    ("class_signups", gettext_lazy("Classes you signed up for")),
    ("class_attendance", gettext_lazy("Classes you attended")),
    ("study_hours", gettext_lazy("Your study hours")),
    ("activity_signups", gettext_lazy("Volunteer activities you signed up for")),
    ("service_hours", gettext_lazy("Your volunteer-service hours")),
    ("certificates", gettext_lazy("Your volunteer-service certificates")),
    ("job_applications", gettext_lazy("Your job and training applications")),
    ("placements", gettext_lazy("Your job placements")),
    ("referrals", gettext_lazy("Your referrals to help services (status and outcome)")),
    ("counselling_appointments", gettext_lazy("Your counselling appointments")),
    ("fund_applications", gettext_lazy("Your education-help fund applications")),
]

README_INTRO = gettext_lazy(
    "This archive holds the personal data the Xiangyang portal keeps about you. data.json "
    "is UTF-8 JSON: dates are ISO 8601 (times with their offset, Asia/Shanghai); hours and "
    "amounts are decimal strings. Counsellors' session notes are kept by the counselling "
    "provider and are not part of this file; ask them for those.")
README_KEYS = gettext_lazy("What each part of data.json holds:")


def readme_text() -> str:
    """README.txt: in Chinese, then in English, each part's key beside what it holds."""
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            lines = [str(README_INTRO), "", str(README_KEYS)]
            lines += [f"  {key} — {label}" for key, label in EXPORT_SECTIONS]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def personal_data_zip(supervisee) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(personal_data(supervisee), ensure_ascii=False,
                                                 indent=2, default=_json_default))
        archive.writestr("README.txt", readme_text())
    return out.getvalue()

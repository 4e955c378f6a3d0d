"""The volunteer-service record (志愿服务记录证明) as a PDF (ReportLab).

Chinese text uses ReportLab's built-in CID font STSong-Light (Adobe-GB1): the PDF names
the font and every reader supplies the glyphs, so no font file is shipped or embedded and
a certificate renders in milliseconds. The QR code is drawn as vector squares (segno)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from .models import Certificate

FONT = "STSong-Light"
_registered = False


def cjk_font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _hours(value) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _draw_qr(c: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    qr = segno.make(data, error="m", micro=False)
    rows = list(qr.matrix_iter(scale=1, border=0))
    cell = size / len(rows)
    c.setFillColor(colors.black)
    for r, row in enumerate(rows):
        for col, dark in enumerate(row):
            if dark:
                c.rect(x + col * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The person's volunteer-service record: each certifying organisation's hours (every
    one a volunteer-service organisation, docs/domain.md rule 2), the total, the volunteer
    number when known, a serial number and a code anyone can check. Nothing on it names a
    corrections body: certificates carry no unit at all."""
    font = cjk_font()
    lines = list(certificate.lines.all())
    out = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(out, pagesize=(width, height), pageCompression=1)
    title = _("Volunteer-service record")
    c.setTitle(f"{title} {certificate.serial}")
    c.setAuthor("、".join(line.organisation_name for line in lines))

    # Frame
    c.setStrokeColor(colors.HexColor("#b43f00"))
    c.setLineWidth(3)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(0.8)
    c.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    # Serial number, top right
    c.setFillColor(colors.black)
    c.setFont(font, 11)
    c.drawRightString(width - 26 * mm, height - 28 * mm,
                      _("No. %(serial)s") % {"serial": certificate.serial})

    # Title
    c.setFont(font, 28)
    c.setFillColor(colors.HexColor("#b43f00"))
    c.drawCentredString(width / 2, height - 46 * mm, title)

    # Body
    body_style = ParagraphStyle("body", fontName=font, fontSize=14, leading=24,
                                alignment=TA_LEFT, wordWrap="CJK", firstLineIndent=28)
    number = ""
    if certificate.volunteer_number:
        number = _(" (volunteer number %(number)s)") % {
            "number": escape(certificate.volunteer_number)}
    body = _(
        "This is to certify that %(name)s%(number)s took part in volunteer service from "
        "%(start)s to %(end)s. Service content: %(content)s. Volunteer-service hours in "
        "total: %(hours)s, certified by the organisations that recorded them:"
    ) % {
        "name": f"<u>{escape(certificate.holder_name)}</u>",
        "number": number,
        "start": certificate.period_start.strftime("%Y-%m-%d"),
        "end": certificate.period_end.strftime("%Y-%m-%d"),
        "content": escape(certificate.service_content),
        "hours": f"<b>{_hours(certificate.hours)}</b>",
    }
    text_width = width - 80 * mm
    para = Paragraph(body, body_style)
    _w, h = para.wrap(text_width, height)
    top = height - 58 * mm
    para.drawOn(c, 40 * mm, top - h)
    y = top - h - 8 * mm

    # One row per certifying organisation: name, hours, period.
    c.setFillColor(colors.black)
    c.setFont(font, 12)
    c.drawString(44 * mm, y, _("Certifying organisation"))
    c.drawRightString(width - 120 * mm, y, _("Hours"))
    c.drawString(width - 110 * mm, y, _("Period"))
    c.setLineWidth(0.5)
    c.line(42 * mm, y - 2 * mm, width - 42 * mm, y - 2 * mm)
    for line in lines:
        y -= 7 * mm
        c.drawString(44 * mm, y, line.organisation_name)
        c.drawRightString(width - 120 * mm, y, _hours(line.hours))
        c.drawString(width - 110 * mm, y, f"{line.period_start:%Y-%m-%d} – {line.period_end:%Y-%m-%d}")
    y -= 3 * mm
    c.line(42 * mm, y, width - 42 * mm, y)
    y -= 6 * mm
    c.drawString(44 * mm, y, _("Total"))
    c.drawRightString(width - 120 * mm, y, _hours(certificate.hours))

    # Date, bottom right
    c.setFont(font, 13)
    issued = timezone.localtime(certificate.issued_at).date()
    c.drawRightString(width - 40 * mm, 48 * mm,
                      _("Whoever records the hours certifies them."))
    c.drawRightString(width - 40 * mm, 40 * mm, issued.strftime("%Y-%m-%d"))

    # QR code for verification, bottom left
    qr_size = 30 * mm
    _draw_qr(c, verify_url, 26 * mm, 24 * mm, qr_size)
    small = ParagraphStyle("small", fontName=font, fontSize=9, leading=12, alignment=TA_LEFT,
                           wordWrap="CJK")
    note = Paragraph(escape(_("Scan to verify, or open %(url)s") % {"url": verify_url}), small)
    _w, h3 = note.wrap(90 * mm, 40 * mm)
    note.drawOn(c, 26 * mm + qr_size + 5 * mm, 24 * mm + qr_size - h3)

    if not certificate.is_valid:
        c.saveState()
        c.setFillColor(colors.HexColor("#cf222e"))
        c.setFont(font, 60)
        c.translate(width / 2, height / 2)
        c.rotate(20)
        c.drawCentredString(0, 0, _("REVOKED") if certificate.is_revoked else _("REPLACED"))
        c.restoreState()

    c.showPage()
    c.save()
    return out.getvalue()

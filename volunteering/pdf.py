"""The volunteer-service certificate as a PDF (ReportLab).

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
    font = cjk_font()
    out = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(out, pagesize=(width, height), pageCompression=1)
    c.setTitle(f"{_('Volunteer service certificate')} {certificate.serial}")
    c.setAuthor(certificate.issuer_name)

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
    c.setFont(font, 30)
    c.setFillColor(colors.HexColor("#b43f00"))
    c.drawCentredString(width / 2, height - 50 * mm, _("Volunteer service certificate"))

    # Body
    body_style = ParagraphStyle("body", fontName=font, fontSize=16, leading=30,
                                alignment=TA_LEFT, wordWrap="CJK", firstLineIndent=32)
    body = _(
        "This is to certify that %(name)s took part in volunteer service organised by "
        "%(issuer)s from %(start)s to %(end)s. Service content: %(content)s. Volunteer-service "
        "hours in total: %(hours)s."
    ) % {
        "name": f"<u>{escape(certificate.holder_name)}</u>",
        "issuer": escape(certificate.issuer_name),
        "start": certificate.period_start.strftime("%Y-%m-%d"),
        "end": certificate.period_end.strftime("%Y-%m-%d"),
        "content": escape(certificate.service_content),
        "hours": f"<b>{_hours(certificate.hours)}</b>",
    }
    text_width = width - 80 * mm
    para = Paragraph(body, body_style)
    _w, h = para.wrap(text_width, height)
    top = height - 68 * mm
    para.drawOn(c, 40 * mm, top - h)
    closing = Paragraph(escape(_("This certificate is hereby issued.")), body_style)
    _w, h2 = closing.wrap(text_width, height)
    closing.drawOn(c, 40 * mm, top - h - 6 * mm - h2)

    # Issuer and date, bottom right
    c.setFillColor(colors.black)
    c.setFont(font, 15)
    c.drawRightString(width - 40 * mm, 52 * mm, certificate.issuer_name)
    issued = timezone.localtime(certificate.issued_at).date()
    c.drawRightString(width - 40 * mm, 42 * mm, issued.strftime("%Y-%m-%d"))

    # QR code for verification, bottom left
    qr_size = 34 * mm
    _draw_qr(c, verify_url, 30 * mm, 28 * mm, qr_size)
    small = ParagraphStyle("small", fontName=font, fontSize=9, leading=12, alignment=TA_LEFT,
                           wordWrap="CJK")
    note = Paragraph(escape(_("Scan to verify, or open %(url)s") % {"url": verify_url}), small)
    _w, h3 = note.wrap(90 * mm, 40 * mm)
    note.drawOn(c, 30 * mm + qr_size + 5 * mm, 28 * mm + qr_size - h3)

    if not certificate.is_valid:
        c.saveState()
        c.setFillColor(colors.HexColor("#cf222e"))
        c.setFont(font, 60)
        c.translate(width / 2, height / 2)
        c.rotate(20)
        c.drawCentredString(0, 0, _("REVOKED"))
        c.restoreState()

    c.showPage()
    c.save()
    return out.getvalue()


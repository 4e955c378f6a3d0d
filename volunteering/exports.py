"""Files for the national volunteer-service information system (全国志愿服务信息系统):
one row per person, activity and service date, volunteer-service hours only, with the
person's volunteer number when known, the certifying organisation, and which export the
row is in (and the earlier export it went out in, so nothing is entered twice)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _


def columns() -> list[str]:
    return [_("Name"), _("ID type"), _("ID number"), _("Service date"), _("Service hours"),
            _("Service content"), _("Organisation"), _("Volunteer number"), _("Export"),
            _("Exported at"), _("Exported before")]


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _earlier(row) -> str:
    earlier = row.get("earlier")
    if not earlier:
        return ""
    number, at = earlier
    return _("%(number)s on %(at)s") % {"number": number, "at": _stamp(at)}


def _text(value) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: keep it text.
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _values(row) -> list:
    return [_text(row["name"]), _text(row["id_type"]), _text(row["id_number"]),
            row["service_date"].isoformat(), float(row["hours"]),
            _text(row["service_content"]), _text(row["organisation"]),
            _text(row.get("volunteer_number", "")), _text(row.get("export_number", "")),
            _stamp(row.get("exported_at")), _text(_earlier(row))]


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns())
    for row in rows:
        writer.writerow(_values(row))
    # With a byte-order mark, spreadsheet programs open the Chinese text correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Volunteer hours")[:31]
    sheet.append(columns())
    for row in rows:
        sheet.append(_values(row))  # ID numbers are strings: no scientific notation
    widths = (12, 16, 22, 12, 10, 40, 24, 20, 26, 18, 40)
    for column, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(rows, *, fmt: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        resp = HttpResponse(as_csv(rows), content_type="text/csv; charset=utf-8")
        name = f"volunteer-hours-{stamp}.csv"
    else:
        resp = HttpResponse(
            as_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"volunteer-hours-{stamp}.xlsx"
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp

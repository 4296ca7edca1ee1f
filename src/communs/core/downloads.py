"""One table, downloaded as CSV or XLSX: the export every service offers beside its pages.

French spreadsheet users open CSV files in Excel, which wants a `;` separator and a UTF-8 byte
order mark to read accents; data tools want plain `,` CSV. The caller chooses, per export.

Every text cell goes through `communs.guards.cells.safe_cell` (re-exported here): text a
spreadsheet would run as a formula gets a leading apostrophe. Exports written elsewhere (an
engine's own CSV or XLSX writer) call `safe_cell` / `safe_row` themselves.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from django.http import Http404, HttpResponse

from communs.guards.cells import safe_cell, safe_row

__all__ = ["TABLE_FORMATS", "safe_cell", "safe_row", "table_download"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_FORMATS = ("csv", "xlsx")


def table_download(
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    filename: str,
    fmt: str,
    sheet_title: str,
    csv_delimiter: str = ",",
    excel_bom: bool = False,
) -> HttpResponse:
    """An attachment named `<filename>.<fmt>`; 404 for a format other than csv or xlsx."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = sheet_title
        sheet.append(safe_row(header))
        for row in rows:
            sheet.append(safe_row(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    elif fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, delimiter=csv_delimiter)
        writer.writerow(safe_row(header))
        writer.writerows(
            [safe_cell(value.isoformat() if isinstance(value, date) else value) for value in row] for row in rows
        )
        body = ("\ufeff" if excel_bom else "") + text.getvalue()
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        raise Http404("Format inconnu.")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response

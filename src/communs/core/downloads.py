"""One table, downloaded as CSV or XLSX: the export every service offers beside its pages.

French spreadsheet users open CSV files in Excel, which wants a `;` separator and a UTF-8 byte
order mark to read accents; data tools want plain `,` CSV. The caller chooses, per export.

Every cell written here is neutralised against formula injection: a text starting with `=`, `+`,
`-`, `@`, a tab or a carriage return (that is not a plain number) gets a leading `'`, so a
spreadsheet shows it as text instead of running it (OWASP "CSV injection"). Apps write CSV only
through `table_download` (a response), `csv_text` (a string, for files and open data) or
`csv_stream` (a streaming response body), never with the `csv` module themselves.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from django.http import Http404, HttpResponse

from communs.guards.cells import FORMULA_STARTS, safe_cell, safe_row

__all__ = ["FORMULA_PREFIXES", "csv_stream", "csv_text", "neutralise", "safe_row", "table_download"]

# The rule lives in `communs.guards.cells` so that engines writing their own files (BEGES XLSX) share it.
FORMULA_PREFIXES = FORMULA_STARTS
neutralise = safe_cell


def _clean_rows(rows: Iterable[Sequence], *, iso_dates: bool = True):
    for row in rows:
        yield [value.isoformat() if iso_dates and isinstance(value, date) else neutralise(value) for value in row]


def csv_text(
    header: Sequence[str] | None, rows: Iterable[Sequence], *, delimiter: str = ",", excel_bom: bool = False
) -> str:
    """CSV text of a table (header first when given), formula cells neutralised."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    if header is not None:
        writer.writerow(header)
    writer.writerows(_clean_rows(rows))
    return ("\ufeff" if excel_bom else "") + text.getvalue()


class _Echo:
    def write(self, value):
        return value


def csv_stream(header: Sequence[str], rows: Iterable[Sequence], *, delimiter: str = ","):
    """CSV lines one by one (for a `StreamingHttpResponse`), formula cells neutralised."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield writer.writerow(header)
    for row in _clean_rows(rows):
        yield writer.writerow(row)


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
        sheet.append(list(header))
        for row in _clean_rows(rows, iso_dates=False):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    elif fmt == "csv":
        body = csv_text(header, rows, delimiter=csv_delimiter, excel_bom=excel_bom)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        raise Http404("Format inconnu.")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response

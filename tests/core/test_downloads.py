"""core.downloads: the CSV/XLSX table export shared by the services."""

import io
from datetime import date

import pytest
from django.http import Http404
from openpyxl import load_workbook

from communs.core.downloads import table_download

HEADER = ["code", "libellé", "date"]
ROWS = [["35238", "Rennes", date(2024, 5, 15)], ["42218", "Saint-Étienne", None]]


def test_csv_for_spreadsheets_has_semicolons_and_a_byte_order_mark():
    response = table_download(
        HEADER, ROWS, filename="t", fmt="csv", sheet_title="x", csv_delimiter=";", excel_bom=True
    )
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffcode;libellé;date\r\n")
    assert "35238;Rennes;2024-05-15\r\n" in body and "42218;Saint-Étienne;\r\n" in body


def test_plain_csv_has_commas_and_no_byte_order_mark():
    body = table_download(HEADER, ROWS, filename="t", fmt="csv", sheet_title="x").content.decode("utf-8")
    assert body.splitlines()[:2] == ["code,libellé,date", "35238,Rennes,2024-05-15"]


def test_xlsx_holds_the_header_and_rows_in_the_named_sheet():
    response = table_download(HEADER, ROWS, filename="t", fmt="xlsx", sheet_title="Diagnostic")
    assert response["Content-Disposition"] == 'attachment; filename="t.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content))["Diagnostic"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("code", "libellé", "date")
    assert values[1][:2] == ("35238", "Rennes") and values[1][2].date() == date(2024, 5, 15)


def test_unknown_format_is_not_found():
    with pytest.raises(Http404):
        table_download(HEADER, ROWS, filename="t", fmt="ods", sheet_title="x")


def test_formula_cells_are_neutralised_in_csv_and_xlsx():
    from communs.core.downloads import csv_stream, csv_text

    rows = [['=HYPERLINK("http://x")', "+33 1", "-12.5", "@SUM(A1)", "Rennes", -3]]
    assert csv_text(["a", "b", "c", "d", "e", "f"], rows).splitlines()[1] == (
        '"\'=HYPERLINK(""http://x"")",\'+33 1,-12.5,\'@SUM(A1),Rennes,-3'
    )
    assert "".join(csv_stream(["a"], [["=1+1"]])) == "a\r\n'=1+1\r\n"
    response = table_download(["a"], [["=1+1"]], filename="t", fmt="xlsx", sheet_title="x")
    sheet = load_workbook(io.BytesIO(response.content))["x"]
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"


def test_files_helpers(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from communs.core.files import data_dir, save_upload, sha256_bytes, sha256_file

    settings.DATA_DIR = tmp_path
    assert data_dir("cosia", "exports") == tmp_path / "cosia" / "exports"
    path = save_upload(SimpleUploadedFile("../../etc/passwd", b"abc"), "estimaction")
    assert path.parent.parent == tmp_path / "estimaction" / "uploads" and path.name == "passwd"
    # sha256("abc"), FIPS 180-2 appendix B.1
    digest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256_file(path) == sha256_bytes(b"abc") == digest

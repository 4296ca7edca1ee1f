"""Upload policies: size, extension and real type, with errors that name the file."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from communs.core.uploads import SQLITE, ZIP, PolicyFileField, UploadPolicy

XLSX = UploadPolicy("classeur", frozenset({".xlsx"}), max_bytes=1024, signatures=ZIP)
CSV = UploadPolicy("fichier CSV", frozenset({".csv"}), max_bytes=1024, text=True)
GPKG = UploadPolicy("GeoPackage", frozenset({".gpkg"}), max_bytes=4096, signatures=SQLITE)


@pytest.mark.parametrize(
    ("policy", "name", "content", "error"),
    [
        (XLSX, "activites.xlsx", b"PK\x03\x04rest-of-zip", None),
        (XLSX, "activites.xls", b"PK\x03\x04", "extension .xls refusée"),
        (XLSX, "activites.xlsx", b"<html>not a workbook", "ne correspond pas à .xlsx"),
        (XLSX, "gros.xlsx", b"PK\x03\x04" + b"0" * 2000, "au-delà de la limite"),
        (CSV, "valeurs.csv", b"indicateur;valeur\nTA;12,5\n", None),
        (CSV, "valeurs.csv", "commune;nom\n42218;Saint-Étienne\n".encode("latin-1"), None),
        (CSV, "valeurs.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "contenu binaire"),
        (CSV, "sans-extension", b"a;b", "extension absente refusée"),
        (GPKG, "zones.gpkg", b"SQLite format 3\x00" + b"\x00" * 20, None),
        (GPKG, "zones.gpkg", b"PK\x03\x04", "ne correspond pas à .gpkg"),
    ],
)
def test_upload_policy(policy, name, content, error):
    upload = SimpleUploadedFile(name, content)
    if error is None:
        policy.validate(upload)
        assert upload.read() == content  # the check leaves the file readable from the start
    else:
        with pytest.raises(ValidationError, match=error) as info:
            policy.validate(upload)
        assert name in info.value.messages[0]


def test_policy_file_field_tells_the_browser_and_the_user():
    field = PolicyFileField(XLSX)
    assert field.widget.attrs["accept"] == ".xlsx"
    assert ".xlsx" in field.help_text and "1,0" in field.help_text
    with pytest.raises(ValidationError, match="ne correspond pas"):
        field.clean(SimpleUploadedFile("faux.xlsx", b"plain text"))

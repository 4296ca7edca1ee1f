"""Upload checks every service applies before reading a user's file: size, extension, real type.

The extension says what the user believes the file is; the first bytes say what it is. Both
must agree with what the form accepts, and the error names the file and what was expected.
Django's own DATA_UPLOAD_MAX_MEMORY_SIZE / FILE_UPLOAD_MAX_MEMORY_SIZE only bound memory use;
these policies bound what reaches a parser.
"""

from dataclasses import dataclass, field
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# Leading bytes of the binary formats the services read.
ZIP = (b"PK\x03\x04",)  # XLSX, ODS, zipped Shapefile
SQLITE = (b"SQLite format 3\x00",)  # GeoPackage
TIFF = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # GeoTIFF, BigTIFF
PARQUET = (b"PAR1",)
LAS = (b"LASF",)  # LAS and LAZ point clouds
NETCDF = (b"CDF\x01", b"CDF\x02", b"\x89HDF\r\n\x1a\n")
SNIFF_BYTES = 16


@dataclass(frozen=True)
class UploadPolicy:
    """What one upload field accepts. `signatures` empty and `text` True: a text file (CSV, DSN, JSON)."""

    label: str
    extensions: frozenset[str]
    max_bytes: int
    signatures: tuple[bytes, ...] = field(default=())
    text: bool = False

    def validate(self, upload) -> None:
        name = PurePath(upload.name or "").name or "fichier sans nom"
        suffix = PurePath(name).suffix.lower()
        if suffix not in self.extensions:
            accepted = ", ".join(sorted(self.extensions))
            raise ValidationError(
                f"« {name} » : extension {suffix or 'absente'} refusée pour un {self.label} ({accepted})."
            )
        if upload.size > self.max_bytes:
            raise ValidationError(
                f"« {name} » pèse {filesizeformat(upload.size)}, au-delà de la limite de "
                f"{filesizeformat(self.max_bytes)} pour un {self.label}."
            )
        head = _peek(upload, SNIFF_BYTES if not self.text else 4096)
        if self.signatures and not head.startswith(self.signatures):
            raise ValidationError(
                f"« {name} » n'est pas un {self.label} valide : son contenu ne correspond pas à {suffix}."
            )
        if self.text and (b"\x00" in head or not _decodes(head)):
            raise ValidationError(f"« {name} » n'est pas un fichier texte ({self.label}) : contenu binaire.")


def _peek(upload, size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _decodes(head: bytes) -> bool:
    """UTF-8 (the end may cut a character) or Latin-1 text without control characters other than whitespace."""
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            return True
    return all(byte >= 0x20 or byte in b"\t\r\n\x0c" for byte in head)


class PolicyFileField(forms.FileField):
    """A form file field that applies an UploadPolicy; `accept` tells the browser too."""

    def __init__(self, policy: UploadPolicy, **kwargs):
        self.policy = policy
        formats = ", ".join(sorted(policy.extensions))
        kwargs.setdefault(
            "help_text", f"Formats acceptés : {formats}. Taille maximale : {filesizeformat(policy.max_bytes)}."
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(sorted(policy.extensions)))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            self.policy.validate(upload)
        return upload

"""Depth and size limits for every parser that recurses or expands.

- JSON: Python's decoder recurses once per nesting level; `loads_json` refuses documents nested
  deeper than `MAX_JSON_DEPTH` and the non-standard constants NaN / Infinity.
- CSV: the `csv` module refuses fields over 131,072 characters with a bare `csv.Error`;
  `csv_rows` names the file and line instead.
- ZIP (and XLSX, which is a ZIP): the declared uncompressed sizes bound what `zipfile` will ever
  produce (it stops at the declared size), so `check_zip` refuses an archive declaring more than
  `max_bytes` in all, or more than `max_members`, before any member is inflated.
- XLSX: `read_xlsx_rows` checks the archive, then stops at `max_rows` rows or `max_columns` columns.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator

MAX_JSON_DEPTH = 64
MAX_ZIP_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_XLSX_BYTES = 128 * 1024 * 1024
MAX_XLSX_ROWS = 500_000
MAX_XLSX_COLUMNS = 256
CSV_FIELD_LIMIT = 131_072


class InputLimitError(ValueError):
    """A document too deep, a field too long, an archive too large; the message says where."""


def _depth_exceeds(document, limit: int) -> bool:
    stack = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _refuse_constant(name: str):
    raise ValueError(f"constante {name} interdite en JSON")


def loads_json(text: str | bytes, *, source: str = "JSON", max_depth: int = MAX_JSON_DEPTH):
    """Parse JSON text; `InputLimitError` for nesting deeper than `max_depth`, NaN/Infinity, or
    invalid JSON (with line and column). An empty `source` leaves the name out of the message (for a
    caller that adds it itself)."""
    prefix = f"{source} : " if source else ""
    too_deep = f"{prefix}imbrication trop profonde (au-delà de {max_depth} niveaux)"
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise InputLimitError(too_deep) from None
    except json.JSONDecodeError as exc:
        raise InputLimitError(f"{prefix}ligne {exc.lineno}, colonne {exc.colno} : JSON invalide ({exc.msg})") from None
    except ValueError as exc:  # the constant refused above, or bytes that are not UTF-8/16/32
        raise InputLimitError(f"{prefix}{exc}") from None
    if _depth_exceeds(document, max_depth):
        raise InputLimitError(too_deep)
    return document


def csv_rows(reader, *, source: str = "CSV") -> Iterator[list]:
    """Iterate a `csv.reader`/`DictReader`, turning `csv.Error` (a field over the size limit, a NUL
    byte, an unclosed quote) into an `InputLimitError` naming the file and line."""
    iterator = iter(reader)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except csv.Error as exc:
            line = getattr(reader, "line_num", None)
            message = str(exc)
            if "field larger than field limit" in message:
                message = f"champ de plus de {CSV_FIELD_LIMIT:,} caractères".replace(",", "\u202f")
            where = f", ligne {line}" if line else ""
            raise InputLimitError(f"{source}{where} : {message}") from None
        # The csv module's own limit is process-wide and some libraries raise it when imported
        # (frictionless sets it to sys.maxsize): check the size here too, whatever that setting is.
        values = row.values() if isinstance(row, dict) else row
        if any(isinstance(value, str) and len(value) > CSV_FIELD_LIMIT for value in values):
            line = getattr(reader, "line_num", None)
            where = f", ligne {line}" if line else ""
            size = f"{CSV_FIELD_LIMIT:,}".replace(",", "\u202f")
            raise InputLimitError(f"{source}{where} : champ de plus de {size} caractères")
        yield row


def csv_records(text: str, *, delimiter: str = ",", source: str = "CSV") -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and the rows of CSV text as (line number, {column: value}), blank lines skipped,
    missing cells as "" (what `csv.DictReader` gives, with located errors)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records = []
    for row in csv_rows(reader, source=source):
        if header is None:
            header = row
            continue
        if not any(cell.strip() for cell in row):
            continue
        records.append((reader.line_num, dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=False))))
    return header or [], records


def check_zip(data, *, source: str = "archive", max_bytes: int = MAX_ZIP_BYTES, max_members: int = MAX_ZIP_MEMBERS):
    """Refuse an archive whose declared content exceeds the caps; returns the open `ZipFile`'s
    member count. `data`: bytes or a binary file object (its position is restored)."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    position = stream.tell() if hasattr(stream, "tell") else None
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputLimitError(f"{source} : archive ZIP illisible ({exc})") from None
    finally:
        if position is not None:
            stream.seek(position)
    if len(members) > max_members:
        raise InputLimitError(f"{source} : {len(members)} fichiers dans l'archive, au-delà de {max_members}")
    total = sum(member.file_size for member in members)
    if total > max_bytes:
        raise InputLimitError(
            f"{source} : l'archive se décompresse en {total / 1e6:,.0f} Mo, au-delà de "
            f"{max_bytes / 1e6:,.0f} Mo".replace(",", "\u202f")
        )
    return len(members)


def open_xlsx(data, *, source: str = "classeur", max_bytes: int = MAX_XLSX_BYTES):
    """An openpyxl workbook (read-only, values only) of an XLSX checked by `check_zip` first."""
    from openpyxl import load_workbook

    check_zip(data, source=source, max_bytes=max_bytes)
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise InputLimitError(f"{source} : classeur XLSX illisible ({exc.__class__.__name__})") from None


def xlsx_rows(
    sheet, *, source: str = "classeur", max_rows: int = MAX_XLSX_ROWS, max_columns: int = MAX_XLSX_COLUMNS
) -> Iterator[tuple]:
    """The rows of a read-only sheet as tuples of values, refusing more than `max_rows` rows or
    `max_columns` columns (trailing empty cells do not count)."""
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > max_rows:
            raise InputLimitError(f"{source} : plus de {max_rows} lignes")
        if len(values) > max_columns:
            values = tuple(values)
            while values and values[-1] in (None, ""):
                values = values[:-1]
            if len(values) > max_columns:
                raise InputLimitError(f"{source}, ligne {number} : plus de {max_columns} colonnes")
        yield values


def read_xlsx_rows(data, *, source: str = "classeur", sheet: int | str = 0, **caps) -> list[tuple]:
    """Every row of one sheet (first by default) of an XLSX, with the caps of `open_xlsx` and `xlsx_rows`."""
    max_bytes = caps.pop("max_bytes", MAX_XLSX_BYTES)
    workbook = open_xlsx(data, source=source, max_bytes=max_bytes)
    try:
        worksheet = workbook[sheet] if isinstance(sheet, str) else workbook.worksheets[sheet]
        return list(xlsx_rows(worksheet, source=source, **caps))
    finally:
        workbook.close()

"""Legacy import: read heterogeneous CSV/XLSX workbooks, map headers, consolidate rows into projects.

Reading is bounded (sheets, rows, columns, uncompressed size) before any parser runs on people's
files. Consolidation is pure: it is given the projects and establishments already known and returns
a plan (projects to create, rows merged, conflicts, rejected rows with their row numbers); the
service writes the plan in one transaction, or nothing when a row is rejected or in conflict.
"""

import csv
import difflib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from communs.sirano.engine.headers import FIELDS, suggest_mapping
from communs.sirano.engine.identifiers import (
    IdentifierError,
    ProjectKey,
    fold,
    normalise_dois,
    normalise_finess,
    normalise_project_id,
    normalise_registry_ids,
)
from communs.sirano.engine.money import AmountError, format_cents, parse_amount

MAX_SHEETS = 20
MAX_ROWS = 100_000
MAX_COLUMNS = 60
MAX_UNCOMPRESSED = 200 * 1024 * 1024
NAME_SIMILARITY = 0.85
PLANNED_FIELDS = {name: name.removeprefix("prevu_") for name in FIELDS if name.startswith("prevu_")}


class LegacyFileError(ValueError):
    pass


@dataclass
class Sheet:
    source: str
    name: str
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number in the sheet, 1-based, header row included; cells)


def read_workbook(file_name: str, data: bytes) -> list[Sheet]:
    """Every sheet of an XLSX file, or the one table of a CSV file."""
    if file_name.lower().endswith(".xlsx"):
        return _read_xlsx(file_name, data)
    if file_name.lower().endswith(".csv"):
        return [_read_csv(file_name, data)]
    raise LegacyFileError(f"« {file_name} » : format non pris en charge (CSV ou XLSX).")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(file_name: str, data: bytes) -> Sheet:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [(number, cells) for number, cells in enumerate(reader, start=1) if any(c.strip() for c in cells)]
    if not rows:
        raise LegacyFileError(f"« {file_name} » est vide.")
    if len(rows) > MAX_ROWS:
        raise LegacyFileError(f"« {file_name} » : plus de {MAX_ROWS} lignes.")
    (_, headers), body = rows[0], rows[1:]
    if len(headers) > MAX_COLUMNS:
        raise LegacyFileError(f"« {file_name} » : plus de {MAX_COLUMNS} colonnes.")
    return Sheet(file_name, "", [h.strip() for h in headers], body)


def _read_xlsx(file_name: str, data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise LegacyFileError(f"« {file_name} » n'est pas un classeur XLSX lisible.") from exc
    if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
        raise LegacyFileError(f"« {file_name} » : contenu décompressé trop volumineux.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise LegacyFileError(f"« {file_name} » n'est pas un classeur XLSX lisible ({exc}).") from exc
    try:
        if len(workbook.worksheets) > MAX_SHEETS:
            raise LegacyFileError(f"« {file_name} » : plus de {MAX_SHEETS} feuilles.")
        sheets = []
        for worksheet in workbook.worksheets:
            headers: list[str] | None = None
            body: list[tuple[int, list]] = []
            for number, cells in enumerate(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
                if number > MAX_ROWS:
                    raise LegacyFileError(
                        f"« {file_name} », feuille « {worksheet.title} » : plus de {MAX_ROWS} lignes."
                    )
                if all(cell is None or str(cell).strip() == "" for cell in cells):
                    continue
                if headers is None:
                    headers = ["" if cell is None else str(cell).strip() for cell in cells]
                else:
                    body.append((number, list(cells)))
            if headers is not None:
                sheets.append(Sheet(file_name, worksheet.title, headers, body))
        return sheets
    finally:
        workbook.close()


# --- Rows → projects -------------------------------------------------------------------------


@dataclass
class Establishment:
    finess: str
    name: str


@dataclass
class Existing:
    """A project already stored: what the import compares a row with."""

    award_cents: int
    raw_ids: list[str]


@dataclass
class ProjectRecord:
    key: ProjectKey
    raw_ids: list[str]
    award_cents: int
    first_row: str
    finess: str = ""
    establishment_name: str = ""
    investigator: str = ""
    acronym: str = ""
    title: str = ""
    registry_ids: list[str] = field(default_factory=list)
    dois: list[str] = field(default_factory=list)
    notified_on: date | None = None
    results_posted_on: date | None = None
    planned: dict[str, date] = field(default_factory=dict)
    exists: bool = False


@dataclass
class ImportPlan:
    rows: int = 0
    records: dict[str, ProjectRecord] = field(default_factory=dict)
    created: int = 0
    merged: int = 0
    conflicts: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    new_establishments: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.rejected

    def report(self) -> dict:
        """The CLI's and the page's report: keys are a contract (issue 14)."""
        return {
            "rows": self.rows,
            "created": self.created,
            "merged": self.merged,
            "conflicts": self.conflicts,
            "rejected": self.rejected,
        }


def parse_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(f"date « {text} » illisible (JJ/MM/AAAA ou AAAA-MM-JJ)")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class _NameIndex:
    def __init__(self, establishments: dict[str, str]):
        self.by_key = {fold(name).replace("-", " "): finess for finess, name in establishments.items()}

    def match(self, name: str) -> str | None:
        key = fold(name).replace("-", " ")
        if key in self.by_key:
            return self.by_key[key]
        close = difflib.get_close_matches(key, list(self.by_key), n=1, cutoff=NAME_SIMILARITY)
        return self.by_key[close[0]] if close else None


def _where(sheet: Sheet, number: int) -> str:
    return f"{sheet.source}{' / ' + sheet.name if sheet.name else ''}, ligne {number}"


def consolidate(
    sheets: list[Sheet],
    mapping: dict[str, str] | None,
    *,
    existing: dict[str, Existing],
    establishments: dict[str, str],
    plan: ImportPlan | None = None,
) -> ImportPlan:
    """Add the rows of `sheets` to `plan` (a new one by default): several files can share one plan.

    `mapping` is `{header: field}`; None means the suggested mapping of each sheet.
    """
    plan = plan or ImportPlan()
    names = _NameIndex(establishments)
    for sheet in sheets:
        columns = mapping if mapping is not None else suggest_mapping(sheet.headers)
        index = {columns[header]: position for position, header in enumerate(sheet.headers) if columns.get(header)}
        missing = [name for name in ("identifiant", "montant") if name not in index]
        for number, cells in sheet.rows:
            plan.rows += 1
            if missing:
                plan.rejected.append(
                    {"row": number, "reason": f"{_where(sheet, number)} : colonne {', '.join(missing)} absente"}
                )
                continue
            values = {name: cells[position] if position < len(cells) else None for name, position in index.items()}
            try:
                record = _record(values, f"{_where(sheet, number)}", names, establishments, plan)
            except ValueError as exc:
                plan.rejected.append({"row": number, "reason": f"{_where(sheet, number)} : {exc}"})
                continue
            _add(plan, record, number, existing)
    return plan


def _record(values: dict, where: str, names: _NameIndex, establishments: dict[str, str], plan: ImportPlan):
    raw_id = _text(values.get("identifiant"))
    try:
        key = normalise_project_id(raw_id)
    except IdentifierError:
        prefix = " ".join(_text(values.get(name)) for name in ("programme", "annee") if values.get(name))
        if not prefix:
            raise
        key = normalise_project_id(f"{prefix} {raw_id}")
        raw_id = f"{prefix} {raw_id}"
    try:
        award = parse_amount(values.get("montant"))
    except AmountError as exc:
        raise ValueError(f"colonne montant : {exc}") from exc
    if award <= 0:
        raise ValueError("colonne montant : montant non positif")
    finess, name = "", _text(values.get("etablissement"))
    if values.get("finess") not in (None, ""):
        try:
            finess = normalise_finess(values["finess"])
        except IdentifierError as exc:
            raise ValueError(f"colonne finess : {exc}") from exc
        if finess not in establishments and finess not in plan.new_establishments:
            if not name:
                raise ValueError(f"colonne finess : établissement {finess} inconnu et sans nom")
            plan.new_establishments[finess] = name
    elif name:
        finess = names.match(name) or ""
        if not finess:
            raise ValueError(f"colonne etablissement : « {name} » ne correspond à aucun établissement connu")
    record = ProjectRecord(
        key=key,
        raw_ids=[raw_id],
        award_cents=award,
        first_row=where,
        finess=finess,
        establishment_name=name,
        investigator=_text(values.get("investigateur")),
        acronym=_text(values.get("acronyme"))[:60],
        title=_text(values.get("titre"))[:500],
        registry_ids=normalise_registry_ids(values.get("registre")),
        dois=normalise_dois(values.get("doi")),
    )
    for name_, target in (("date_notification", "notified_on"), ("date_resultats", "results_posted_on")):
        try:
            setattr(record, target, parse_date(values.get(name_)))
        except ValueError as exc:
            raise ValueError(f"colonne {name_} : {exc}") from exc
    for column, milestone in PLANNED_FIELDS.items():
        try:
            planned = parse_date(values.get(column))
        except ValueError as exc:
            raise ValueError(f"colonne {column} : {exc}") from exc
        if planned:
            record.planned[milestone] = planned
    return record


def _add(plan: ImportPlan, record: ProjectRecord, number: int, existing: dict[str, Existing]) -> None:
    canonical = record.key.canonical
    current = plan.records.get(canonical)
    if current is None and canonical in existing:
        stored = existing[canonical]
        current = ProjectRecord(record.key, list(stored.raw_ids), stored.award_cents, "base", exists=True)
        plan.records[canonical] = current
    if current is None:
        plan.records[canonical] = record
        plan.created += 1
        return
    if current.award_cents != record.award_cents:
        plan.conflicts.append(
            {
                "identifier": canonical,
                "row": number,
                "reason": f"{record.first_row} : montant {format_cents(record.award_cents)} différent de "
                f"{format_cents(current.award_cents)} ({current.first_row})",
                "amounts": [format_cents(current.award_cents), format_cents(record.award_cents)],
            }
        )
        return
    plan.merged += 1
    for raw in record.raw_ids:
        if raw not in current.raw_ids:
            current.raw_ids.append(raw)
    for attribute in (
        "finess",
        "establishment_name",
        "investigator",
        "acronym",
        "title",
        "notified_on",
        "results_posted_on",
    ):
        if not getattr(current, attribute) and getattr(record, attribute):
            setattr(current, attribute, getattr(record, attribute))
    for attribute in ("registry_ids", "dois"):
        merged = getattr(current, attribute)
        merged.extend(value for value in getattr(record, attribute) if value not in merged)
    for milestone, planned in record.planned.items():
        current.planned.setdefault(milestone, planned)

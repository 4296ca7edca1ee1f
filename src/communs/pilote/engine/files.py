"""Readers of the PILOTE exchange files: INDICATORS.csv and VALUES.csv (or .xlsx).

INDICATORS.csv: `id,chantier,direction,weight_nat,weight_reg,weight_dept,aggregation` and, optionally,
`cumulative` (none | since_start | yearly) and `next_update` (YYYY-MM-DD).
VALUES.csv / .xlsx: `indicator,territory,date,metric,value`, territory `NAT-FR`, `REG-53` or `DEPT-35`,
metric `vi`, `va`, `vc` (case-insensitive) or `den` (denominator of a ratio indicator), an empty value
meaning "null". A decimal comma is accepted. Separators `,` or `;` are detected.

Every error names the file, the line (1 = header) and the field. `parse_value_rows` checks every row
and returns the good ones and the errors, so an import can report all of them at once.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from communs.guards.finite import is_plausible
from communs.guards.limits import InputLimitError, csv_rows, open_xlsx, xlsx_rows
from communs.pilote.engine.aggregation import normalize_rule
from communs.pilote.engine.compute import METRICS, IndicatorSpec
from communs.pilote.engine.progress import DIRECTIONS
from communs.pilote.engine.series import CUMULATIVE_KINDS
from communs.pilote.engine.territories import TerritoryAxis

INDICATOR_COLUMNS = ("id", "chantier", "direction", "weight_nat", "weight_reg", "weight_dept", "aggregation")
VALUE_COLUMNS = ("indicator", "territory", "date", "metric", "value")


class PiloteFileError(ValueError):
    pass


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"ligne {self.line}, champ « {self.field} » : {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class ValueRow:
    line: int
    indicator: str
    territory: str
    date: date
    metric: str
    value: float | None


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PiloteFileError(f"{name} : encodage illisible (attendu UTF-8).")


def read_table(data: bytes, name: str) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts of stripped strings, keys lower-cased."""
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(data, name)
    text = _decode(data, name)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = [row for row in csv_rows(csv.reader(io.StringIO(text), delimiter=delimiter), source=name) if row]
    except InputLimitError as exc:
        raise PiloteFileError(str(exc)) from None
    if not records:
        raise PiloteFileError(f"{name} : fichier vide.")
    fieldnames = records[0]
    rows = []
    for values in records[1:]:
        row = dict(zip(fieldnames, [*values, *[""] * (len(fieldnames) - len(values))], strict=False))
        rows.append({(key or "").strip().lower(): (value or "").strip() for key, value in row.items() if key})
    if not rows:
        raise PiloteFileError(f"{name} : aucune ligne de données.")
    _check_columns(rows[0].keys(), VALUE_COLUMNS, name)
    return rows


def _read_xlsx(data: bytes, name: str) -> list[dict[str, str]]:
    try:
        workbook = open_xlsx(data, source=name)
        try:
            lines = list(xlsx_rows(workbook.active, source=name))
        finally:
            workbook.close()
    except InputLimitError as exc:
        raise PiloteFileError(str(exc)) from None
    if not lines:
        raise PiloteFileError(f"{name} : feuille vide.")
    header = [str(cell or "").strip().lower() for cell in lines[0]]
    rows = []
    for line in lines[1:]:
        if all(cell in (None, "") for cell in line):
            continue
        row = {}
        for key, cell in zip(header, line, strict=False):
            if isinstance(cell, date):
                cell = cell.isoformat()[:10]
            row[key] = "" if cell is None else str(cell).strip()
        rows.append(row)
    if not rows:
        raise PiloteFileError(f"{name} : aucune ligne de données.")
    _check_columns(header, VALUE_COLUMNS, name)
    return rows


def _check_columns(found, expected, name: str) -> None:
    missing = [column for column in expected if column not in found]
    if missing:
        raise PiloteFileError(f"{name}, ligne 1 : colonne(s) manquante(s) {', '.join(missing)}.")


def _number(text: str) -> float:
    return float(text.replace("\u202f", "").replace(" ", "").replace(",", "."))


def parse_value_rows(rows: list[dict[str, str]], known_indicators: set[str] | None = None, *, territories):
    """Check every row; returns (good ValueRows, RowErrors). Line numbers count the header as 1.
    `territories`: the known codes (a `TerritoryAxis` or any container of `DEPT-35`-style codes)."""
    good, errors = [], []
    for position, row in enumerate(rows):
        line = position + 2
        row_errors = []
        indicator = row.get("indicator", "")
        if not indicator:
            row_errors.append(RowError(line, "indicator", "identifiant vide"))
        elif known_indicators is not None and indicator not in known_indicators:
            row_errors.append(RowError(line, "indicator", f"indicateur « {indicator} » inconnu"))
        territory = row.get("territory", "").upper()
        if territory not in territories:
            row_errors.append(
                RowError(
                    line, "territory", f"territoire « {row.get('territory', '')} » inconnu (NAT-FR, REG-53, DEPT-35)"
                )
            )
        try:
            when = date.fromisoformat(row.get("date", ""))
        except ValueError:
            when = None
            row_errors.append(RowError(line, "date", f"date « {row.get('date', '')} » invalide (AAAA-MM-JJ)"))
        metric = row.get("metric", "").lower()
        if metric not in METRICS:
            row_errors.append(RowError(line, "metric", f"métrique « {row.get('metric', '')} » inconnue (vi, va, vc)"))
        raw = row.get("value", "")
        value = None
        if raw:
            try:
                value = _number(raw)
            except ValueError:
                row_errors.append(RowError(line, "value", f"valeur « {raw} » non numérique"))
            else:
                if not is_plausible(value):
                    row_errors.append(RowError(line, "value", f"valeur « {raw} » non finie ou hors d'échelle"))
        if row_errors:
            errors.extend(row_errors)
        else:
            good.append(ValueRow(line, indicator, territory, when, metric, value))
    return good, errors


def read_values(path: Path, known_indicators: set[str] | None = None, *, territories) -> list[ValueRow]:
    """Strict reader for the CLI: the first bad row stops with its line and field."""
    rows = read_table(_read_bytes(path), str(path))
    good, errors = parse_value_rows(rows, known_indicators, territories=territories)
    if errors:
        raise PiloteFileError(
            f"{path}, {errors[0]}" + (f" (et {len(errors) - 1} autre(s) erreur(s))" if len(errors) > 1 else "")
        )
    return good


def _read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise PiloteFileError(f"{path} : lecture impossible ({exc.strerror}).") from exc


def _weight(row: dict, column: str, line: int, name) -> float:
    text = row.get(column, "") or "0"
    try:
        weight = _number(text)
    except ValueError:
        raise PiloteFileError(f"{name}, ligne {line}, champ « {column} » : poids « {text} » non numérique.") from None
    if weight < 0:
        raise PiloteFileError(f"{name}, ligne {line}, champ « {column} » : poids négatif.")
    return weight


def read_indicators(path: Path) -> list[IndicatorSpec]:
    name = str(path)
    text = _decode(_read_bytes(path), name)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    _check_columns([(key or "").strip().lower() for key in reader.fieldnames or []], INDICATOR_COLUMNS, name)
    specs, seen = [], set()
    for position, raw in enumerate(reader):
        line = position + 2
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        where = f"{name}, ligne {line}"
        if not row["id"]:
            raise PiloteFileError(f"{where}, champ « id » : identifiant vide.")
        if row["id"] in seen:
            raise PiloteFileError(f"{where}, champ « id » : indicateur « {row['id']} » en double.")
        seen.add(row["id"])
        if not row["chantier"]:
            raise PiloteFileError(f"{where}, champ « chantier » : chantier vide.")
        direction = row["direction"].lower()
        if direction not in DIRECTIONS:
            raise PiloteFileError(f"{where}, champ « direction » : « {row['direction']} » (attendu hausse ou baisse).")
        try:
            aggregation = normalize_rule(row["aggregation"])
        except ValueError as exc:
            raise PiloteFileError(f"{where}, champ « aggregation » : {exc}.") from None
        cumulative = (row.get("cumulative") or "none").lower()
        if cumulative not in CUMULATIVE_KINDS:
            raise PiloteFileError(
                f"{where}, champ « cumulative » : « {cumulative} » (attendu {', '.join(CUMULATIVE_KINDS)})."
            )
        next_update = None
        if row.get("next_update"):
            try:
                next_update = date.fromisoformat(row["next_update"])
            except ValueError:
                raise PiloteFileError(f"{where}, champ « next_update » : date invalide.") from None
        specs.append(
            IndicatorSpec(
                id=row["id"],
                chantier=row["chantier"],
                direction=direction,
                weight_nat=_weight(row, "weight_nat", line, name),
                weight_reg=_weight(row, "weight_reg", line, name),
                weight_dept=_weight(row, "weight_dept", line, name),
                aggregation=aggregation,
                cumulative=cumulative,
                next_update=next_update,
            )
        )
    if not specs:
        raise PiloteFileError(f"{name} : aucun indicateur.")
    return specs


def read_meteo(path: Path) -> set[tuple[str, str]]:
    """METEO.csv `chantier,territory[,meteo]`: the pairs with a météo declared for the current period."""
    text = _decode(_read_bytes(path), str(path))
    reader = csv.DictReader(io.StringIO(text))
    _check_columns(
        [(key or "").strip().lower() for key in reader.fieldnames or []], ("chantier", "territory"), str(path)
    )
    return {(row["chantier"].strip(), row["territory"].strip().upper()) for row in reader}


def compute_files(indicators: Path, values: Path, as_of: date, meteo: Path | None = None, *, axis: TerritoryAxis):
    """The CLI's `compute`: read both files, run the engine on `axis` (the reference's territories),
    return its Result."""
    from communs.pilote.engine.compute import Observations, compute

    specs = read_indicators(indicators)
    rows = read_values(values, {spec.id for spec in specs}, territories=axis)
    observations = Observations.from_rows(
        [(r.indicator, r.territory, r.date.isoformat(), r.metric, r.value) for r in rows], specs, axis
    )
    return compute(specs, observations, as_of, axis=axis, meteo=read_meteo(meteo) if meteo else None)

"""Emission factors: the shipped starter set and the reader of ADEME's Base Empreinte CSV export.

Base Empreinte (formerly Base Carbone) is published by ADEME as a CSV export whose columns are
`Type_Ligne`, `Identifiant_de_l'élément`, `Statut_de_l'élément`, `Nom_base_français`,
`Nom_attribut_français`, `Nom_frontière_français`, `Unité_français`, `Incertitude`,
`Total_poste_non_décomposé`, the gases `CO2f`, `CH4f`, `CH4b`, `N2O`, `Autres_GES`, `CO2b`, and
many more that we keep out. Older exports spell the headers with spaces ("Identifiant de
l'élément"); both are read. The file is either `;`-separated with decimal commas in Latin-1
(Windows) or `,`-separated in UTF-8: the reader detects both.

Only `Type_Ligne = Elément` rows are factors; `Poste` rows are their decomposition by life-cycle
stage and are skipped. A row that cannot be read makes the whole import fail, with every
faulty line and column named (a factor base is never half-imported).

`Incertitude` is ADEME's percentage; like every ± in this app it is read as the relative half-width
of a 95 % confidence interval.
"""

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from communs.bascarbone.engine.gwp import DEFAULT_GWP_SET, gwp
from communs.guards.limits import InputLimitError, csv_rows

STARTER_FILE = Path(__file__).parent / "data" / "starter_factors.csv"
STARTER_VERSION = "starter-2026.1"


@dataclass(frozen=True)
class EmissionFactor:
    """kgCO2e per unit of activity; `unit` is the factor's unit as published ("kgCO2e/litre")."""

    id: str
    name: str
    unit: str
    total: float
    co2: float = 0.0  # fossil CO2 (CO2f)
    ch4: float = 0.0  # CH4f + CH4b, in CO2e
    n2o: float = 0.0
    other: float = 0.0  # other gases (HFC, PFC, SF6…), in CO2e
    co2b: float = 0.0  # biogenic CO2, reported apart and never in `total`
    uncertainty: float = 0.0  # relative half-width of the 95 % interval (0.05 for ±5 %)
    source: str = ""
    year: int | None = None
    status: str = ""
    gas: str = ""  # refrigerants: the gas whose GWP (from the inventory's set) is the factor, per kg
    pcs_pci_ratio: float | None = None
    post: str = ""  # usual BEGES post, a default for entry forms

    @property
    def archived(self) -> bool:
        return self.status.lower().startswith("archiv")

    def resolved(self, gwp_set: str = DEFAULT_GWP_SET) -> "EmissionFactor":
        """The factor with its values for one GWP set (refrigerants: total = GWP per kg)."""
        if not self.gas:
            return self
        value = gwp(self.gas, gwp_set)
        if self.gas.upper() in {"CO2", "R744"}:
            return replace(self, total=value, co2=value, other=0.0)
        return replace(self, total=value, other=value, co2=0.0)

    def gas_split(self) -> tuple[float, float, float, float]:
        """CO2, CH4, N2O, other gases per unit; the part of `total` not broken down by gas counts as CO2,
        so that the columns of the BEGES table always add up to the total."""
        remainder = self.total - (self.co2 + self.ch4 + self.n2o + self.other)
        return (self.co2 + max(remainder, 0.0), self.ch4, self.n2o, self.other)


@dataclass
class FactorSet:
    """One version of a factor base: an import of Base Empreinte, or the starter set."""

    version: str
    source: str
    factors: dict[str, EmissionFactor] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.factors)

    def get(self, factor_id: str) -> EmissionFactor | None:
        return self.factors.get(str(factor_id).strip())


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"ligne {self.line}" + (f", colonne « {self.column} »" if self.column else "")
        return f"{where} : {self.message}"


class FactorFileError(ValueError):
    """The file cannot be imported; `errors` lists every faulty line."""

    def __init__(self, filename: str, errors: list[RowError]):
        self.filename = filename
        self.errors = errors
        shown = "; ".join(str(error) for error in errors[:5])
        more = f" (et {len(errors) - 5} autre(s))" if len(errors) > 5 else ""
        super().__init__(f"{filename} : {shown}{more}")


# --- Reading CSV text in the encodings and separators French administrations produce ---------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Latin-1 (Windows-1252 exports of Excel)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows-1252 is Latin-1 plus the characters Excel uses (€, œ, ’) in 0x80-0x9F.
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get)


def normalize_header(name: str) -> str:
    return re.sub(r"\s+", "_", name.strip().strip('"').replace("\ufeff", "").replace("’", "'"))


def parse_number(text: str | None) -> float | None:
    """ "3,16", "3.16", "1 234,5", "5 %" → float; empty → None. Raises ValueError otherwise."""
    if text is None:
        return None
    cleaned = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").rstrip("%")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,5
    else:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


def read_table(data: bytes, *, source: str = "CSV") -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Headers (normalized) and rows as (line number in the file, {header: text}); a field over the
    CSV size limit raises `InputLimitError` naming `source` and the line."""
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    rows = csv_rows(reader, source=source)
    try:
        headers = [normalize_header(h) for h in next(rows)]
    except StopIteration:
        return [], []
    records = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        records.append((reader.line_num, dict(zip(headers, row, strict=False))))
    return headers, records


# --- Base Empreinte ------------------------------------------------------------------------------------------------

_REQUIRED = ("Identifiant_de_l'élément", "Nom_base_français", "Unité_français", "Total_poste_non_décomposé")
_GASES = ("CO2f", "CH4f", "CH4b", "N2O", "Autres_GES", "CO2b")
_YEAR = re.compile(r"(19|20)\d{2}")


def read_base_empreinte(data: bytes, *, filename: str = "Base Empreinte", version: str = "") -> FactorSet:
    """Parse a Base Empreinte CSV export into a FactorSet; raise FactorFileError naming every bad line."""
    try:
        headers, rows = read_table(data, source=filename)
    except InputLimitError as exc:
        raise FactorFileError(filename, [RowError(1, "", str(exc))]) from None
    missing = [name for name in _REQUIRED if name not in headers]
    if missing:
        raise FactorFileError(filename, [RowError(1, name, "colonne absente de l'en-tête") for name in missing])
    errors: list[RowError] = []
    factors: dict[str, EmissionFactor] = {}
    for line, row in rows:
        kind = row.get("Type_Ligne", "Elément").strip()
        if kind and not kind.lower().startswith(("elément", "element", "élément")):
            continue
        factor_id = row.get("Identifiant_de_l'élément", "").strip()
        if not factor_id:
            errors.append(RowError(line, "Identifiant_de_l'élément", "identifiant vide"))
            continue
        if factor_id in factors:
            errors.append(RowError(line, "Identifiant_de_l'élément", f"identifiant {factor_id} en double"))
            continue
        values: dict[str, float | None] = {}
        for column in ("Total_poste_non_décomposé", *_GASES, "Incertitude"):
            try:
                values[column] = parse_number(row.get(column))
            except ValueError:
                errors.append(RowError(line, column, f"« {row.get(column)} » n'est pas un nombre"))
        if values.get("Total_poste_non_décomposé") is None and "Total_poste_non_décomposé" not in {
            e.column for e in errors if e.line == line
        }:
            errors.append(RowError(line, "Total_poste_non_décomposé", "valeur absente"))
        if any(error.line == line for error in errors):
            continue
        unit = row.get("Unité_français", "").strip()
        if not unit:
            errors.append(RowError(line, "Unité_français", "unité absente"))
            continue
        name = " – ".join(
            part
            for part in (
                row.get("Nom_base_français", "").strip(),
                row.get("Nom_attribut_français", "").strip(),
                row.get("Nom_frontière_français", "").strip(),
            )
            if part
        )
        year_match = _YEAR.search(row.get("Date_de_modification", "") or row.get("Date_de_création", "") or "")
        factors[factor_id] = EmissionFactor(
            id=factor_id,
            name=name,
            unit=unit,
            total=values["Total_poste_non_décomposé"] or 0.0,
            co2=values["CO2f"] or 0.0,
            ch4=(values["CH4f"] or 0.0) + (values["CH4b"] or 0.0),
            n2o=values["N2O"] or 0.0,
            other=values["Autres_GES"] or 0.0,
            co2b=values["CO2b"] or 0.0,
            uncertainty=(values["Incertitude"] or 0.0) / 100,
            source=f"Base Empreinte (ADEME){', ' + row['Source'].strip() if row.get('Source') else ''}",
            year=int(year_match.group(0)) if year_match else None,
            status=row.get("Statut_de_l'élément", "").strip(),
            pcs_pci_ratio=NATURAL_GAS_RATIO if _is_natural_gas(name) else None,
        )
    if errors:
        raise FactorFileError(filename, errors)
    if not factors:
        raise FactorFileError(filename, [RowError(1, "Type_Ligne", "aucun élément dans le fichier")])
    return FactorSet(version=version or filename, source="Base Empreinte (ADEME)", factors=factors)


NATURAL_GAS_RATIO = 0.901


def _is_natural_gas(name: str) -> bool:
    return name.lower().startswith("gaz naturel")


# --- The curated starter set ---------------------------------------------------------------------------------------


def load_starter_set() -> FactorSet:
    """The ~40 factors shipped with the app (see data/starter_factors.csv and docs/bascarbone.md)."""
    _, rows = read_table(STARTER_FILE.read_bytes())
    factors = {}
    for _line, row in rows:
        ratio = parse_number(row.get("pcs_pci_ratio"))
        factors[row["id"]] = EmissionFactor(
            id=row["id"],
            name=row["name"],
            unit=row["unit"],
            total=parse_number(row["total"]) or 0.0,
            co2=parse_number(row["co2"]) or 0.0,
            ch4=parse_number(row["ch4"]) or 0.0,
            n2o=parse_number(row["n2o"]) or 0.0,
            other=parse_number(row["other"]) or 0.0,
            co2b=parse_number(row["co2b"]) or 0.0,
            uncertainty=(parse_number(row["uncertainty_pct"]) or 0.0) / 100,
            gas=row["gas"].strip(),
            pcs_pci_ratio=ratio,
            post=row["post"].strip(),
            source=row["source"].strip(),
            year=int(row["year"]) if row["year"].strip() else None,
            status="Valide générique",
        )
    return FactorSet(
        version=STARTER_VERSION, source="Jeu de départ Communs (extrait de Base Empreinte)", factors=factors
    )

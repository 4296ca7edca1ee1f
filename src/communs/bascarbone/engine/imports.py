"""Readers of the activity files State services actually have, into `ActivityLine`s with a
row-level report.

Formats (CSV `;` or `,`, UTF-8 or Latin-1, or XLSX first sheet; headers are matched without case,
accents or spaces, French or English names):
- `generic`: the app's template: entity, post, factor_id, quantity, unit, activity_uncertainty_pct,
  amortization_years, label, quality_scores;
- `fuel_cards`: fuel-card exports, litres by fuel (post 1.2);
- `building_energy`: energy by site (electricity 2.1, gas/fuel oil/wood 1.1, heat networks 2.2);
- `travel`: trips with origin/destination coordinates and mode (post 3.5, see `travel.py`).

Reading never stops at the first bad row: every row is either a line or an error naming its line
and column. The caller writes nothing unless there is no error (never a half import).
"""

import unicodedata
from dataclasses import dataclass, field

from communs.bascarbone.engine.beges import UnknownPostError, normalize_post, post_from_v4
from communs.bascarbone.engine.factors import FactorSet, RowError, parse_number, read_table
from communs.bascarbone.engine.inventory import ActivityLine
from communs.bascarbone.engine.travel import TravelError, band_for, great_circle_km
from communs.bascarbone.engine.uncertainty import PedigreeError, parse_scores, pedigree_relative_half_width
from communs.bascarbone.engine.units import UnitError, conversion_factor
from communs.guards.finite import NumberError, finite_number
from communs.guards.limits import InputLimitError, open_xlsx, xlsx_rows

FORMATS = {
    "generic": "Modèle générique d'activités",
    "fuel_cards": "Export de cartes carburant",
    "building_energy": "Export d'énergie des bâtiments",
    "travel": "Export de déplacements professionnels",
}


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


# Canonical column → accepted header spellings (compared with `_key`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "entity": ("entity", "entite", "service", "entity_id"),
    "post": ("post", "poste"),
    "post_v4": ("post_v4", "poste_v4"),
    "factor_id": ("factor_id", "facteur", "identifiant_facteur", "identifiant_de_l_element"),
    "quantity": ("quantity", "quantite", "valeur"),
    "unit": ("unit", "unite"),
    "activity_uncertainty_pct": ("activity_uncertainty_pct", "incertitude_activite_pct", "incertitude_activite"),
    "amortization_years": ("amortization_years", "duree_amortissement", "amortissement_ans"),
    "label": ("label", "libelle", "description"),
    "quality_scores": ("quality_scores", "scores_qualite", "pedigree"),
    "fuel": ("carburant", "fuel", "produit", "type_carburant"),
    "litres": ("litres", "volume", "volume_l", "quantite_l", "litre"),
    "vehicle": ("immatriculation", "vehicule", "vehicle"),
    "date": ("date", "date_transaction"),
    "site": ("site", "batiment", "building"),
    "energy": ("energie", "energy", "type_energie"),
    "consumption": ("consommation", "kwh", "consumption", "quantite", "quantity"),
    "origin": ("origine", "origin", "depart"),
    "origin_lat": ("origine_lat", "lat_origine", "origin_lat"),
    "origin_lon": ("origine_lon", "lon_origine", "origin_lon"),
    "destination": ("destination", "arrivee"),
    "destination_lat": ("destination_lat", "lat_destination"),
    "destination_lon": ("destination_lon", "lon_destination"),
    "mode": ("mode", "mode_transport"),
    "travellers": ("voyageurs", "passagers", "travellers"),
    "round_trip": ("aller_retour", "round_trip", "ar"),
}

FUELS: dict[str, str] = {
    "gazole": "gazole-routier",
    "diesel": "gazole-routier",
    "go": "gazole-routier",
    "b7": "gazole-routier",
    "sp95": "essence-e10",
    "sp95e10": "essence-e10",
    "e10": "essence-e10",
    "essence": "essence-e10",
    "sp98": "essence-sp98",
    "e5": "essence-sp98",
    "e85": "superethanol-e85",
    "superethanol": "superethanol-e85",
    "gpl": "gpl-carburant",
}

# energy → (post, factor, default unit). Gas bills are in kWh PCS: the default says so.
ENERGIES: dict[str, tuple[str, str, str]] = {
    "electricite": ("2.1", "electricite-france", "kWh"),
    "gaz": ("1.1", "gaz-naturel", "kWh PCS"),
    "gaznaturel": ("1.1", "gaz-naturel", "kWh PCS"),
    "fioul": ("1.1", "fioul-domestique", "L"),
    "fiouldomestique": ("1.1", "fioul-domestique", "L"),
    "reseaudechaleur": ("2.2", "reseau-chaleur", "kWh"),
    "reseauchaleur": ("2.2", "reseau-chaleur", "kWh"),
    "chaleur": ("2.2", "reseau-chaleur", "kWh"),
    "reseaudefroid": ("2.2", "reseau-froid", "kWh"),
    "froid": ("2.2", "reseau-froid", "kWh"),
    "bois": ("1.1", "granules-bois", "kWh PCI"),
    "granules": ("1.1", "granules-bois", "kWh PCI"),
    "propane": ("1.1", "propane", "kg"),
}

_FIRST_COLUMNS = {
    "fuel_cards": ("fuel", "litres"),
    "building_energy": ("energy", "consumption"),
    "travel": ("origin_lat", "destination_lat", "mode"),
    "generic": ("post", "factor_id", "quantity"),
}
# An inventory made with method v4 gives its post numbers (1 to 24) in `poste_v4` instead of `poste`.
_GENERIC_V4 = ("post_v4", "factor_id", "quantity")


@dataclass
class ImportResult:
    format: str
    rows: int = 0
    lines: list[ActivityLine] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.lines)


class ActivityFileError(ValueError):
    pass


def read_rows(data: bytes, filename: str) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    """Rows of a CSV or XLSX file, with a map canonical column → header found."""
    try:
        if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
            headers, rows = _read_xlsx(data, filename)
        else:
            headers, rows = read_table(data, source=filename)
    except InputLimitError as exc:
        raise ActivityFileError(str(exc)) from None
    found: dict[str, str] = {}
    by_key = {_key(header): header for header in headers}
    for canonical, spellings in COLUMNS.items():
        for spelling in spellings:
            if _key(spelling) in by_key:
                found[canonical] = by_key[_key(spelling)]
                break
    return found, rows


def _read_xlsx(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    workbook = open_xlsx(data, source=filename)
    sheet = workbook.worksheets[0]
    rows = xlsx_rows(sheet, source=filename)
    headers = [str(value or "").strip() for value in next(rows, ())]
    records = []
    for number, values in enumerate(rows, start=2):
        if not any(value not in (None, "") for value in values):
            continue
        records.append((number, {h: "" if v is None else str(v) for h, v in zip(headers, values, strict=False) if h}))
    workbook.close()
    return headers, records


def detect_format(columns: dict[str, str]) -> str:
    for name in ("travel", "fuel_cards", "building_energy", "generic"):
        if all(column in columns for column in _FIRST_COLUMNS[name]):
            return name
    if all(column in columns for column in _GENERIC_V4):
        return "generic"
    raise ActivityFileError(
        "format non reconnu : l'en-tête doit contenir post, factor_id, quantity (modèle générique), "
        "carburant et litres (cartes carburant), energie et consommation (bâtiments) ou les coordonnées "
        "et le mode (déplacements)"
    )


def read_activities(data: bytes, filename: str, *, format: str = "auto", default_entity: str = "") -> ImportResult:  # noqa: A002
    columns, rows = read_rows(data, filename)
    chosen = detect_format(columns) if format == "auto" else format
    if chosen not in FORMATS:
        raise ActivityFileError(f"format « {format} » inconnu (attendu : {', '.join(FORMATS)})")
    required = _GENERIC_V4 if chosen == "generic" and "post" not in columns else _FIRST_COLUMNS[chosen]
    missing = [c for c in required if c not in columns]
    if missing:
        raise ActivityFileError(
            f"{filename} : colonne(s) {', '.join(COLUMNS[c][0] for c in missing)} absente(s) de l'en-tête"
        )
    result = ImportResult(format=chosen, rows=len(rows))
    reader = {
        "generic": _generic,
        "fuel_cards": _fuel_card,
        "building_energy": _building_energy,
        "travel": _trip,
    }[chosen]
    for line, row in rows:
        cell = _Cells(row, columns, line)
        try:
            activity = reader(cell)
        except _CellError as exc:
            result.errors.append(RowError(line, exc.column, exc.message))
            continue
        entity = cell.text("entity") or default_entity
        result.lines.append(ActivityLine(**{**activity, "entity": entity, "line": line}))
    return result


class _CellError(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


class _Cells:
    def __init__(self, row: dict[str, str], columns: dict[str, str], line: int):
        self.row, self.columns, self.line = row, columns, line

    def header(self, name: str) -> str:
        return self.columns.get(name, COLUMNS[name][0])

    def text(self, name: str) -> str:
        header = self.columns.get(name)
        return (self.row.get(header) or "").strip() if header else ""

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise _CellError(self.header(name), "valeur absente")
        return value

    def number(self, name: str, *, required: bool = True, default: float | None = None) -> float | None:
        value = self.text(name)
        if not value:
            if required:
                raise _CellError(self.header(name), "valeur absente")
            return default
        try:
            number = parse_number(value)
        except ValueError:
            raise _CellError(self.header(name), f"« {value} » n'est pas un nombre") from None
        if number is None or number < 0:
            raise _CellError(self.header(name), f"« {value} » : nombre positif attendu")
        try:
            return finite_number(number, minimum=0)
        except NumberError as exc:
            raise _CellError(self.header(name), f"« {value} » : {exc.reason}") from None


def _generic(cell: _Cells) -> dict:
    uncertainty = cell.number("activity_uncertainty_pct", required=False, default=None)
    scores = cell.text("quality_scores")
    if uncertainty is None and scores:
        try:
            uncertainty = 100 * pedigree_relative_half_width(parse_scores(scores))
        except PedigreeError as exc:
            raise _CellError(cell.header("quality_scores"), str(exc)) from None
    years = cell.number("amortization_years", required=False, default=None)
    if years is not None and years <= 0:
        raise _CellError(cell.header("amortization_years"), "durée d'amortissement positive attendue")
    if cell.text("post") or "post_v4" not in cell.columns:
        post = cell.required("post")
    else:
        try:
            post = post_from_v4(cell.required("post_v4"))
        except UnknownPostError as exc:
            raise _CellError(cell.header("post_v4"), str(exc)) from None
    return {
        "post": post,
        "factor_id": cell.required("factor_id"),
        "quantity": cell.number("quantity"),
        "unit": cell.required("unit"),
        "activity_uncertainty": (uncertainty or 0.0) / 100,
        "amortization_years": years,
        "label": cell.text("label"),
    }


def _fuel_card(cell: _Cells) -> dict:
    fuel = cell.required("fuel")
    factor = FUELS.get(_key(fuel))
    if factor is None:
        raise _CellError(cell.header("fuel"), f"carburant « {fuel} » inconnu (gazole, SP95, SP98, E85, GPL)")
    label = " ".join(part for part in (cell.text("vehicle"), cell.text("date")) if part)
    return {"post": "1.2", "factor_id": factor, "quantity": cell.number("litres"), "unit": "L", "label": label}


def _building_energy(cell: _Cells) -> dict:
    energy = cell.required("energy")
    known = ENERGIES.get(_key(energy))
    if known is None:
        raise _CellError(
            cell.header("energy"), f"énergie « {energy} » inconnue (électricité, gaz, fioul, réseau de chaleur…)"
        )
    post, factor, default_unit = known
    return {
        "post": post,
        "factor_id": factor,
        "quantity": cell.number("consumption"),
        "unit": cell.text("unit") or default_unit,
        "label": " – ".join(part for part in (cell.text("site"), energy) if part),
    }


def _trip(cell: _Cells) -> dict:
    coordinates = [
        _coordinate(cell, name) for name in ("origin_lat", "origin_lon", "destination_lat", "destination_lon")
    ]
    try:
        distance = great_circle_km(*coordinates)
    except TravelError as exc:
        raise _CellError(cell.header("origin_lat"), str(exc)) from None
    if _key(cell.text("round_trip")) in {"oui", "o", "yes", "1", "true", "ar"}:
        distance *= 2
    mode = cell.required("mode")
    try:
        band = band_for(mode, distance)
    except TravelError as exc:
        raise _CellError(cell.header("mode"), str(exc)) from None
    travellers = cell.number("travellers", required=False, default=1.0) or 1.0
    quantity = distance * travellers if band.unit == "p.km" else distance
    route = " → ".join(part for part in (cell.text("origin"), cell.text("destination")) if part)
    return {
        "post": "3.5",
        "factor_id": band.factor_id,
        "quantity": quantity,
        "unit": band.unit,
        "label": f"{route} ({mode}, {distance:.0f} km)".strip(),
    }


def _coordinate(cell: _Cells, name: str) -> float:
    value = cell.required(name)
    try:
        number = parse_number(value)
    except ValueError:
        number = None
    if number is None:
        raise _CellError(cell.header(name), f"« {value} » n'est pas une coordonnée")
    return number


def check_lines(
    lines: list[ActivityLine], factors: FactorSet, known_entities: set[str] | None = None
) -> list[RowError]:
    """Row-level checks against a factor base: known factor, compatible unit, known post and entity."""
    errors = []
    for line in lines:
        bad = _bad_number(line)
        if bad:
            errors.append(bad)
            continue
        try:
            normalize_post(line.post)
        except UnknownPostError as exc:
            errors.append(RowError(line.line, "post", str(exc)))
            continue
        factor = factors.get(line.factor_id)
        if factor is None:
            errors.append(
                RowError(line.line, "factor_id", f"facteur « {line.factor_id} » absent de la base {factors.version}")
            )
            continue
        try:
            conversion_factor(line.unit, factor.unit, factor.pcs_pci_ratio)
        except UnitError as exc:
            errors.append(RowError(line.line, "unit", f"{exc} ({factor.id} : {factor.name})"))
            continue
        if known_entities is not None and line.entity not in known_entities:
            errors.append(
                RowError(line.line, "entity", f"entité « {line.entity} » inconnue ou hors de votre périmètre")
            )
    return errors


def _bad_number(line: ActivityLine) -> RowError | None:
    """Every number of a line finite and plausible: what the form, the API and a file give alike."""
    for column, value, minimum in (
        ("quantity", line.quantity, 0.0),
        ("activity_uncertainty_pct", line.activity_uncertainty, 0.0),
        ("amortization_years", line.amortization_years, 0.0),
    ):
        if value is None and column == "amortization_years":
            continue
        try:
            finite_number(value, field=column, minimum=minimum)
        except NumberError as exc:
            return RowError(line.line, column, exc.reason)
    return None

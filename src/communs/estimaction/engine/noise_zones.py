"""Strategic noise map zones (cartes de bruit stratégiques, CNIG standard), as shapely arrays in EPSG:3035.

CNIG "Standard de données Cartes de bruit stratégiques" (2018): layer `N_BRUIT_ZBR_…_S` holds
type A zones (iso-level bands: Lden 55-60 … ≥ 75, Ln 50-55 … ≥ 70) and type C zones (areas above
the limit values). Attributes read, case-insensitively:
- `TYPEZONE`: A or C (A when absent);
- `INDICETYPE`: LD (Lden) or LN (Lnight) — or the prefix of the legend;
- `LEGZONE` / `LEGENDE` / `BANDE`: the band, as "Lden55", "LD55", "LN50", "55-60", ">=75", "75";
- `TYPESOURCE`: R road, F rail (fer), A aircraft (aérodrome), I industry. CNIG maps are published per
  source type, so a file usually holds one; when the field is absent or empty, the source type is the one
  declared by the importer, else a word of the file name (route/routier, fer/ferroviaire, aerien/aerodrome/
  aeroport, industrie/icpe), else road (the historical default, and the most common map).
Geometries are reprojected from the file's CRS (Lambert-93 when the file declares none).
"""

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Transformer

from communs.estimaction.engine.parameters import BANDS, SOURCE_TYPES
from communs.guards.geometry import GeometryInputError, check_coordinate_array

TARGET_CRS = "EPSG:3035"
DEFAULT_SOURCE_CRS = "EPSG:2154"
SOURCE_CODES = {"R": "road", "F": "rail", "A": "aircraft", "I": "industry"}
# Spellings accepted for a source type, besides the CNIG codes (lower case, accents removed).
SOURCE_WORDS = {
    "road": ("road", "route", "routier", "routiere", "routes"),
    "rail": ("rail", "fer", "ferroviaire", "voie ferree", "voies ferrees", "railway"),
    "aircraft": ("aircraft", "aerien", "aerodrome", "aeroport", "avion"),
    "industry": ("industry", "industrie", "industriel", "icpe"),
}
# File-name words: whole tokens only, never the one-letter codes (a name like N_BRUIT_ZBR_R_A_LD also
# carries the zone type "A").
FILE_NAME_WORDS = {
    "road": ("route", "routes", "routier", "routiere", "road"),
    "rail": ("fer", "ferroviaire", "ferre", "ferree", "rail", "sncf"),
    "aircraft": ("aerien", "aerienne", "aerodrome", "aeroport", "aircraft", "airport"),
    "industry": ("industrie", "industriel", "industrielle", "icpe", "industry"),
}
LEGEND_FIELDS = ("legzone", "legende", "bande", "band", "classe")
LEGEND = re.compile(r"^\s*(?P<prefix>lden|lnight|ld|ln)?\s*(?P<ge>>=|≥|>)?\s*(?P<low>\d{2})", re.IGNORECASE)

# A noise map of a whole département holds a few million vertices; beyond this, split the file.
MAX_VERTICES = 20_000_000


def _plain(text) -> str:
    table = str.maketrans("éèêëàâîïôûùç", "eeeeaaiiouuc")
    return str(text or "").strip().lower().translate(table)


def parse_source_type(value) -> str | None:
    """ "R"/"F"/"A"/"I", "route", "fer", "rail", "aérodrome"… → road/rail/aircraft/industry; None when empty.
    Raises ValueError on an unknown value."""
    text = _plain(value)
    if not text:
        return None
    if text.upper() in SOURCE_CODES:
        return SOURCE_CODES[text.upper()]
    for source, words in SOURCE_WORDS.items():
        if text in words:
            return source
    raise ValueError(f"type de source « {value} » inconnu (R route, F fer, A aérodrome, I industrie)")


def source_type_from_file_name(name: str) -> str | None:
    """The source type named by a word of the file name, if exactly one source is named."""
    tokens = set(re.split(r"[^a-z0-9]+", _plain(Path(name).stem)))
    found = {source for source, words in FILE_NAME_WORDS.items() if tokens & set(words)}
    return found.pop() if len(found) == 1 else None


class NoiseFileError(ValueError):
    """A noise map file that cannot be read; the message names the file, feature and field."""


@dataclass
class NoiseZones:
    """Zones in EPSG:3035. `indicator` is lden/lnight; `band` the band index (0 = first band) for
    type A, 0 for type C; `zone_type` A or C; `source_type` road/rail/aircraft/industry."""

    geometries: np.ndarray
    indicator: np.ndarray
    band: np.ndarray
    zone_type: np.ndarray
    source_type: np.ndarray
    source: str = ""
    resolved: bool = False  # overlaps already resolved within each source type (see exposure.prepare_zones)
    # The same zones with overlaps resolved across all source types (the "all sources" figure), prepared
    # alongside when the map holds several source types.
    combined_geometries: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.geometries)

    def select(self, mask: np.ndarray) -> "NoiseZones":
        return NoiseZones(
            self.geometries[mask],
            self.indicator[mask],
            self.band[mask],
            self.zone_type[mask],
            self.source_type[mask],
            self.source,
            self.resolved,
            None if self.combined_geometries is None else self.combined_geometries[mask],
        )

    def source_types(self) -> list[str]:
        """The source types present, in the order road, rail, aircraft, industry."""
        present = set(self.source_type.tolist())
        return [source for source in SOURCE_TYPES if source in present]

    @staticmethod
    def concatenate(parts: list["NoiseZones"], source: str = "") -> "NoiseZones":
        """One set of zones from several maps (one per source type, read from different files)."""
        if not parts:
            empty = np.array([], dtype=object)
            return NoiseZones(empty, empty, np.array([], dtype=np.int64), empty, empty, source)
        return NoiseZones(
            np.concatenate([p.geometries for p in parts]),
            np.concatenate([p.indicator for p in parts]),
            np.concatenate([p.band for p in parts]),
            np.concatenate([p.zone_type for p in parts]),
            np.concatenate([p.source_type for p in parts]),
            source or " + ".join(p.source for p in parts if p.source),
        )


def parse_band(legend: str, indicator: str | None) -> tuple[str, int]:
    """("Lden65", None) → ("lden", 2); ("55-60", "lden") → ("lden", 0); (">=70", "lnight") → ("lnight", 4)."""
    match = LEGEND.match(str(legend or ""))
    if not match:
        raise ValueError(f"légende de bande illisible « {legend} »")
    prefix = (match["prefix"] or "").lower()
    found = {"lden": "lden", "ld": "lden", "lnight": "lnight", "ln": "lnight"}.get(prefix) or indicator
    if found not in BANDS:
        raise ValueError(f"indicateur inconnu pour « {legend} » (LD/Lden ou LN/Lnight attendu)")
    low = int(match["low"])
    for index, band in enumerate(BANDS[found]):
        if band.lower == low:
            return found, index
    raise ValueError(f"bande « {legend} » hors des bandes {found} ({', '.join(b.label for b in BANDS[found])})")


def _transformer(crs_text: str | None) -> Transformer | None:
    source = CRS.from_user_input(crs_text or DEFAULT_SOURCE_CRS)
    if source.equals(CRS.from_user_input(TARGET_CRS)):
        return None
    return Transformer.from_crs(source, TARGET_CRS, always_xy=True)


def reproject(geometries: np.ndarray, crs_text: str | None) -> np.ndarray:
    transformer = _transformer(crs_text)
    if transformer is None:
        return geometries
    return shapely.transform(
        geometries, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])), include_z=False
    )


def build_zones(
    geometries,
    indicators,
    legends,
    *,
    zone_types=None,
    source_types=None,
    default_source: str = "road",
    crs: str | None = None,
    source: str = "",
) -> NoiseZones:
    """Zones from parallel sequences (file-free, used by readers, tests and benches); a zone with no
    source type gets `default_source`."""
    n = len(geometries)
    indicator = np.empty(n, dtype=object)
    band = np.zeros(n, dtype=np.int64)
    zone_type = np.array([(z or "A").upper() for z in (zone_types if zone_types is not None else ["A"] * n)])
    for index in range(n):
        given = indicators[index]
        if zone_type[index] == "C":
            indicator[index] = _indicator_name(given)
            continue
        indicator[index], band[index] = parse_band(legends[index], _indicator_name(given) if given else None)
    kinds = [parse_source_type(s) or default_source for s in (source_types or [None] * n)]
    # Valid after reprojection too: a curved transform can fold a thin ring onto itself.
    geoms = shapely.make_valid(reproject(shapely.make_valid(np.asarray(geometries, dtype=object)), crs))
    return NoiseZones(geoms, indicator, band, zone_type, np.array(kinds, dtype=object), source)


def _indicator_name(value) -> str:
    text = str(value or "").strip().lower()
    name = {"ld": "lden", "lden": "lden", "ln": "lnight", "lnight": "lnight", "lnuit": "lnight"}.get(text)
    if name is None:
        raise ValueError(f"INDICETYPE « {value} » inconnu (LD ou LN attendu)")
    return name


def read_noise_zones(path: str | Path, *, layer: str | None = None, declared_source: str | None = None) -> NoiseZones:
    """Read a CNIG-style GeoPackage or Shapefile into zones in EPSG:3035.

    `declared_source` (road/rail/aircraft/industry) is the importer's statement of the map's source type:
    it fills an absent `TYPESOURCE`, and a feature whose `TYPESOURCE` says otherwise is an error."""
    import pyogrio.raw

    path = Path(path)
    if not path.exists():
        raise NoiseFileError(f"{path} : fichier introuvable")
    try:
        meta, _, wkb, field_data = pyogrio.raw.read(path, layer=layer)
    except Exception as exc:  # pyogrio's DataSourceError and friends
        raise NoiseFileError(f"{path.name} : lecture impossible ({exc})") from None
    names = [name.lower() for name in meta["fields"]]
    columns = dict(zip(names, field_data, strict=True))
    legend_field = next((name for name in LEGEND_FIELDS if name in columns), None)
    if legend_field is None and "indicetype" not in columns:
        raise NoiseFileError(
            f"{path.name} : ni légende ({', '.join(f.upper() for f in LEGEND_FIELDS)}) ni INDICETYPE "
            f"(champs lus : {', '.join(meta['fields'])})"
        )
    n = len(wkb)
    legends = columns.get(legend_field, [None] * n) if legend_field else [None] * n
    indicators = columns.get("indicetype", [None] * n)
    zone_types = columns.get("typezone")
    source_types = columns.get("typesource")
    with warnings.catch_warnings():  # shapely warns on NaN coordinates: refused just below, with the file named
        warnings.simplefilter("ignore", RuntimeWarning)
        geometries = shapely.from_wkb(wkb)
    default_source = declared_source or source_type_from_file_name(path.name) or "road"
    for index in range(n):
        if geometries[index] is None or shapely.is_empty(geometries[index]):
            raise NoiseFileError(f"{path.name}, entité {index + 1} : géométrie vide")
        try:
            zone = (zone_types[index] if zone_types is not None else "A") or "A"
            if str(zone).upper() == "C":
                _indicator_name(indicators[index])
            else:
                parse_band(legends[index], _indicator_name(indicators[index]) if indicators[index] else None)
        except ValueError as exc:
            field_name = (legend_field or "indicetype").upper()
            raise NoiseFileError(f"{path.name}, entité {index + 1}, champ {field_name} : {exc}") from None
        if source_types is not None:
            try:
                found = parse_source_type(source_types[index])
            except ValueError as exc:
                raise NoiseFileError(f"{path.name}, entité {index + 1}, champ TYPESOURCE : {exc}") from None
            if declared_source and found and found != declared_source:
                raise NoiseFileError(
                    f"{path.name}, entité {index + 1}, champ TYPESOURCE : « {source_types[index]} » "
                    f"alors que la carte est déclarée de type {declared_source}"
                )
    try:
        check_coordinate_array(
            shapely.get_coordinates(geometries), source=path.name, crs=meta.get("crs") or "", max_vertices=MAX_VERTICES
        )
    except GeometryInputError as exc:
        raise NoiseFileError(str(exc)) from None
    return build_zones(
        geometries,
        list(indicators),
        list(legends),
        zone_types=list(zone_types) if zone_types is not None else None,
        source_types=list(source_types) if source_types is not None else None,
        default_source=default_source,
        crs=meta.get("crs"),
        source=path.name,
    )


def write_noise_gpkg(path: str | Path, geometries, rows: list[dict], *, crs: str = "EPSG:2154") -> None:
    """Write zones as a CNIG-style GeoPackage (fields TYPEZONE, INDICETYPE, LEGZONE, TYPESOURCE, CODINFRA)."""
    import pyogrio.raw

    fields = ["TYPEZONE", "INDICETYPE", "LEGZONE", "TYPESOURCE", "CODINFRA"]
    data = [np.array([str(row.get(name, "")) for row in rows], dtype=object) for name in fields]
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.asarray(geometries, dtype=object)),
        data,
        fields,
        layer="N_BRUIT_ZBR_INFRA_S",
        driver="GPKG",
        geometry_type="MultiPolygon",
        promote_to_multi=True,
        crs=crs,
    )

"""Reader of administrative contours (GeoJSON, GeoPackage or any OGR vector file).

Contours are optional: the reference works without them, and they are imported from the current
IGN ADMIN EXPRESS release with `communs territoires contours FILE`. This module reads a file, finds
the property holding the INSEE code, reprojects to EPSG:4326 (what web maps and GeoJSON expect,
RFC 7946 §4), simplifies while preserving topology, and returns one record per territory code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyproj import CRS

# numpy, pyogrio, shapely and pyproj are imported by `read_contours`, not here: Django imports this
# module when it starts (through the services and the CLI) and `communs --help` must answer at once.

TARGET_CRS = "EPSG:4326"
# Property names that hold the INSEE code in the usual sources (france-geojson, ADMIN EXPRESS, data.gouv).
CODE_PROPERTY_CANDIDATES = ("code", "INSEE_COM", "code_insee", "INSEE_DEP", "INSEE_REG", "insee", "CODE_INSEE")
CODE_LENGTH = {"commune": 5, "departement": 2, "region": 2, "epci": 9}
METRES_PER_DEGREE = 111_320  # one degree of latitude; used when the source CRS is geographic
COORDINATE_GRID = 1e-6  # degrees (≈ 0.1 m): more digits only make the GeoJSON bigger


class ContoursFileError(ValueError):
    """The file cannot be read or lacks what the importer needs; the message names file and field."""


@dataclass(frozen=True)
class ContourRecord:
    code: str
    geojson: str  # a GeoJSON geometry in EPSG:4326
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@dataclass(frozen=True)
class ContourSet:
    source: str
    source_crs: str
    code_property: str
    tolerance_m: float
    contours: tuple[ContourRecord, ...]


def detect_code_property(fields: Sequence[str], preferred: str | None = None) -> str:
    """Return the property holding the INSEE code: `preferred` if given, else the first known name."""
    if preferred:
        if preferred not in fields:
            raise ContoursFileError(
                f"propriété « {preferred} » absente (propriétés : {', '.join(fields) or 'aucune'})"
            )
        return preferred
    by_lower = {name.lower(): name for name in fields}
    for candidate in CODE_PROPERTY_CANDIDATES:
        if candidate.lower() in by_lower:
            return by_lower[candidate.lower()]
    raise ContoursFileError(
        f"aucune propriété de code INSEE trouvée parmi {', '.join(fields) or 'aucune'} "
        f"(attendu : {', '.join(CODE_PROPERTY_CANDIDATES)} ; précisez --code-property)"
    )


def _normalise_code(value, level: str | None) -> str:
    if value is None:
        return ""
    import numpy as np

    if isinstance(value, (int, np.integer)) or (isinstance(value, float) and float(value).is_integer()):
        # Spreadsheets turn "01001" into 1001: put the leading zeros back.
        return str(int(value)).zfill(CODE_LENGTH.get(level or "", 0))
    return str(value).strip()


def _is_metric(crs: CRS) -> bool:
    return crs.is_projected and all((axis.unit_name or "").startswith("met") for axis in crs.axis_info)


def read_contours(
    path: Path | str,
    *,
    level: str | None = None,
    code_property: str | None = None,
    tolerance_m: float = 0.0,
    layer: str | int | None = None,
) -> ContourSet:
    """Read, reproject and simplify the features of `path`, merging features that share a code."""
    import numpy as np
    import pyogrio
    import pyogrio.raw
    import shapely
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    path = Path(path)
    if not path.exists():
        raise ContoursFileError(f"{path}: fichier introuvable")
    try:
        meta, _fids, wkb, field_data = pyogrio.raw.read(path, layer=layer)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise ContoursFileError(f"{path}: fichier illisible ({exc})") from exc
    fields = [str(name) for name in meta["fields"]]
    try:
        prop = detect_code_property(fields, code_property)
    except ContoursFileError as exc:
        raise ContoursFileError(f"{path}: {exc}") from exc
    codes = field_data[fields.index(prop)]

    # GeoJSON without a CRS is WGS 84 by definition (RFC 7946).
    try:
        source_crs = CRS.from_user_input(meta.get("crs") or TARGET_CRS)
    except CRSError as exc:
        raise ContoursFileError(f"{path}: système de coordonnées illisible ({meta.get('crs')})") from exc
    geometries = shapely.from_wkb(wkb)
    for index, geometry in enumerate(geometries):
        if geometry is None or geometry.is_empty:
            raise ContoursFileError(f"{path}: entité n° {index + 1} ({prop}={codes[index]}) sans géométrie")

    metric = _is_metric(source_crs)
    if tolerance_m and metric:
        geometries = shapely.simplify(geometries, tolerance_m, preserve_topology=True)
    if not source_crs.equals(CRS.from_user_input(TARGET_CRS)):
        transformer = Transformer.from_crs(source_crs, TARGET_CRS, always_xy=True)

        def reproject(coords):
            x, y = transformer.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        geometries = shapely.transform(geometries, reproject)
    if tolerance_m and not metric:
        geometries = shapely.simplify(geometries, tolerance_m / METRES_PER_DEGREE, preserve_topology=True)

    grouped: dict[str, list] = {}
    for index, (value, geometry) in enumerate(zip(codes, geometries, strict=True)):
        code = _normalise_code(value, level)
        if not code:
            raise ContoursFileError(f"{path}: entité n° {index + 1} sans valeur pour la propriété « {prop} »")
        grouped.setdefault(code, []).append(geometry)

    records = []
    for code, parts in grouped.items():
        geometry = parts[0] if len(parts) == 1 else shapely.union_all(parts)
        geometry = shapely.set_precision(geometry, COORDINATE_GRID)
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        records.append(ContourRecord(code=code, geojson=shapely.to_geojson(geometry), bbox=tuple(geometry.bounds)))
    return ContourSet(
        source=path.name,
        source_crs=source_crs.to_string(),
        code_property=prop,
        tolerance_m=float(tolerance_m),
        contours=tuple(sorted(records, key=lambda record: record.code)),
    )

"""Territory polygons for CoSIA: read a GeoJSON (file or text) and bring it to the raster CRS.

GeoJSON is WGS 84 longitude/latitude (RFC 7946 §4). Files written by GIS tools in Lambert-93
sometimes carry the legacy `crs` member (GeoJSON 2008): it is honoured, so both forms work.

A posted or uploaded polygon (`strict=True`, the default) goes through `communs.guards.geometry`
first: finite coordinates within France's extents (or Lambert-93's), at most `MAX_VERTICES`
positions, and rings that do not cross themselves (a "bowtie" is refused, naming the crossing,
rather than repaired into two triangles that count half the area the author drew). Geometries the
suite stored itself (zones already checked, official contours) are read with `strict=False`.
"""

from pathlib import Path

import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from communs.guards.geometry import MAX_VERTICES as DEFAULT_MAX_VERTICES
from communs.guards.geometry import GeometryInputError, check_geojson_coordinates, check_rings
from communs.guards.limits import InputLimitError, loads_json

RASTER_CRS = "EPSG:2154"
MAX_VERTICES = DEFAULT_MAX_VERTICES
GEOJSON_CRS = "EPSG:4326"


class TerritoryError(ValueError):
    """The territory cannot be read or holds no polygon; the message names the source."""


def _geometries(doc: dict, origin: str) -> list:
    if not isinstance(doc, dict):
        raise TerritoryError(f"{origin} : un objet GeoJSON est attendu")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        features = doc.get("features") or []
        if not isinstance(features, list):
            raise TerritoryError(f"{origin} : « features » doit être une liste")
        return [g for f in features for g in _geometries(f, origin)]
    if kind == "Feature":
        return _geometries(doc.get("geometry") or {}, origin) if doc.get("geometry") else []
    if kind in ("Polygon", "MultiPolygon", "GeometryCollection"):
        try:
            return [shapely.geometry.shape(doc)]
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise TerritoryError(f"{origin} : géométrie invalide ({exc})") from exc
    raise TerritoryError(f"{origin} : type GeoJSON « {kind} » non pris en charge (attendu : Polygon, MultiPolygon)")


def _declared_crs(doc: dict, origin: str) -> CRS:
    crs = doc.get("crs")
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if not name:
        return CRS.from_user_input(GEOJSON_CRS)
    try:
        return CRS.from_user_input(name)
    except (CRSError, TypeError, ValueError) as exc:
        raise TerritoryError(f"{origin} : système de coordonnées « {name} » inconnu") from exc


def territory_from_geojson(
    doc: dict | str | bytes, *, origin: str = "GeoJSON", target_crs: str = RASTER_CRS, strict: bool = True
):
    """Return the union of the polygons of `doc`, in `target_crs`, made valid (after the checks of a
    posted polygon when `strict`)."""
    if isinstance(doc, str | bytes):
        try:
            doc = loads_json(doc, source=origin)
        except InputLimitError as exc:
            raise TerritoryError(str(exc)) from exc
    if not isinstance(doc, dict):
        raise TerritoryError(f"{origin} : un objet GeoJSON est attendu")
    source = _declared_crs(doc, origin)
    if strict:
        try:
            check_geojson_coordinates(doc, source=origin, crs=source.to_string(), max_vertices=MAX_VERTICES)
        except GeometryInputError as exc:
            raise TerritoryError(str(exc)) from exc
    geometries = _geometries(doc, origin)
    if strict:
        for geometry in geometries:
            try:
                check_rings(geometry, source=origin)
            except GeometryInputError as exc:
                raise TerritoryError(str(exc)) from exc
    polygons = [
        part
        for geometry in geometries
        for part in getattr(shapely.make_valid(geometry), "geoms", [shapely.make_valid(geometry)])
        if part.geom_type in ("Polygon", "MultiPolygon") and not part.is_empty
    ]
    if not polygons:
        raise TerritoryError(f"{origin} : aucun polygone")
    geometry = shapely.union_all(polygons)
    target = CRS.from_user_input(target_crs)
    if source != target:
        transformer = Transformer.from_crs(source, target, always_xy=True)
        geometry = shapely.transform(geometry, lambda xy: _transform(transformer, xy))
    geometry = shapely.make_valid(geometry)
    if geometry.is_empty or geometry.area <= 0:
        raise TerritoryError(f"{origin} : polygone d'aire nulle")
    return geometry


def _transform(transformer, coords):
    import numpy as np

    x, y = transformer.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def read_territory(path: Path | str, *, target_crs: str = RASTER_CRS):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TerritoryError(f"{path} : illisible ({exc})") from exc
    return territory_from_geojson(text, origin=str(path), target_crs=target_crs)


def geometry_to_geojson(geometry, *, source_crs: str = RASTER_CRS) -> dict:
    """GeoJSON geometry (EPSG:4326) of a polygon held in `source_crs`."""
    transformer = Transformer.from_crs(source_crs, GEOJSON_CRS, always_xy=True)
    return shapely.geometry.mapping(shapely.transform(geometry, lambda xy: _transform(transformer, xy)))

"""Territory polygons for CoSIA: read a GeoJSON (file or text) and bring it to the raster CRS.

GeoJSON is WGS 84 longitude/latitude (RFC 7946 §4). Files written by GIS tools in Lambert-93
sometimes carry the legacy `crs` member (GeoJSON 2008): it is honoured, so both forms work.
"""

import json
from pathlib import Path

import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

RASTER_CRS = "EPSG:2154"
GEOJSON_CRS = "EPSG:4326"


class TerritoryError(ValueError):
    """The territory cannot be read or holds no polygon; the message names the source."""


def _geometries(doc: dict, origin: str) -> list:
    kind = doc.get("type")
    if kind == "FeatureCollection":
        return [g for f in doc.get("features") or [] for g in _geometries(f, origin)]
    if kind == "Feature":
        return _geometries(doc.get("geometry") or {}, origin) if doc.get("geometry") else []
    if kind in ("Polygon", "MultiPolygon", "GeometryCollection"):
        try:
            return [shapely.geometry.shape(doc)]
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise TerritoryError(f"{origin} : géométrie invalide ({exc})") from exc
    raise TerritoryError(f"{origin} : type GeoJSON « {kind} » non pris en charge (attendu : Polygon, MultiPolygon)")


def _declared_crs(doc: dict, origin: str) -> CRS:
    name = ((doc.get("crs") or {}).get("properties") or {}).get("name")
    if not name:
        return CRS.from_user_input(GEOJSON_CRS)
    try:
        return CRS.from_user_input(name)
    except CRSError as exc:
        raise TerritoryError(f"{origin} : système de coordonnées « {name} » inconnu") from exc


def territory_from_geojson(doc: dict | str, *, origin: str = "GeoJSON", target_crs: str = RASTER_CRS):
    """Return the union of the polygons of `doc`, in `target_crs`, made valid."""
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except json.JSONDecodeError as exc:
            raise TerritoryError(f"{origin} : JSON invalide (ligne {exc.lineno}, colonne {exc.colno})") from exc
    if not isinstance(doc, dict):
        raise TerritoryError(f"{origin} : un objet GeoJSON est attendu")
    geometries = _geometries(doc, origin)
    polygons = [
        part
        for geometry in geometries
        for part in getattr(shapely.make_valid(geometry), "geoms", [shapely.make_valid(geometry)])
        if part.geom_type in ("Polygon", "MultiPolygon") and not part.is_empty
    ]
    if not polygons:
        raise TerritoryError(f"{origin} : aucun polygone")
    geometry = shapely.union_all(polygons)
    source = _declared_crs(doc, origin)
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

"""River seeds: the cells the water starts from.

From a watercourse layer or a drawn line (GeoJSON points, lines or polygons in any CRS: a legacy
`crs` member names it, otherwise RFC 7946's WGS 84 applies; reprojected to Lambert-93), or from
the cells where LiDAR saw water (class 9). A geometry marks every cell it touches.
"""

import json
from pathlib import Path

import numpy as np

GEOJSON_DEFAULT_CRS = "EPSG:4326"


class SeedError(ValueError):
    pass


def _crs_of(document: dict) -> str:
    name = ((document.get("crs") or {}).get("properties") or {}).get("name")
    if not name:
        return GEOJSON_DEFAULT_CRS
    if "CRS84" in name:
        return "OGC:CRS84"
    if "EPSG" in name:
        return "EPSG:" + name.replace("::", ":").rsplit(":", 1)[-1]
    return name


def read_seed_geometries(source: Path | str | dict, *, origin: str = "graines") -> list:
    """Shapely geometries in EPSG:2154 from a GeoJSON file, text or dict."""
    import pyproj
    import shapely
    from shapely.geometry import shape

    if isinstance(source, dict):
        document = source
    else:
        text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else str(source)
        if not isinstance(source, Path) and Path(text).suffix in (".geojson", ".json") and Path(text).exists():
            text = Path(text).read_text(encoding="utf-8")
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SeedError(f"{origin}, ligne {exc.lineno} : GeoJSON invalide ({exc.msg})") from exc
    kind = document.get("type")
    if kind == "FeatureCollection":
        raw = [f.get("geometry") for f in document.get("features", [])]
    elif kind == "Feature":
        raw = [document.get("geometry")]
    else:
        raw = [document]
    geometries = []
    for index, item in enumerate(raw):
        try:
            geometries.append(shape(item))
        except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
            raise SeedError(f"{origin}, entité {index + 1} : géométrie invalide ({exc})") from exc
    if not geometries:
        raise SeedError(f"{origin} : aucune géométrie")
    crs = _crs_of(document)
    try:
        transformer = pyproj.Transformer.from_crs(crs, "EPSG:2154", always_xy=True)
    except pyproj.exceptions.CRSError as exc:
        raise SeedError(f"{origin} : projection « {crs} » inconnue") from exc
    projected = [
        shapely.transform(g, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))) for g in geometries
    ]
    for index, geometry in enumerate(projected):
        if not np.isfinite(shapely.get_coordinates(geometry)).all():
            raise SeedError(f"{origin}, entité {index + 1} : coordonnées non finies après reprojection")
    return projected


def rasterize_seeds(geometries: list, terrain) -> np.ndarray:
    """True on every cell a seed geometry touches; raises when none falls on the terrain."""
    from rasterio.features import rasterize

    mask = rasterize(
        [(g, 1) for g in geometries],
        out_shape=terrain.shape,
        transform=terrain.transform,
        fill=0,
        all_touched=True,
        dtype="uint8",
    ).astype(bool)
    mask &= ~np.isnan(terrain.z)
    if not mask.any():
        raise SeedError("aucune graine ne tombe sur le relief (vérifiez la projection et l'emprise)")
    return mask


def seeds_from_water(terrain) -> np.ndarray:
    if terrain.water is None or not terrain.water.any():
        raise SeedError("le nuage de points ne contient aucun point d'eau (classe 9)")
    return terrain.water.copy()

"""Contour test files: the hand-made GeoJSON fixture, a GeoPackage written on demand, and the shared
real files (../shared/data/contours, test and benchmark use only; tests skip when it is absent)."""

from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyproj import Transformer

DATA = Path(__file__).parent / "data"
MINI = DATA / "contours-mini.geojson"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "contours"


def write_lambert93_geopackage(path: Path) -> Path:
    """A GeoPackage in Lambert-93 (EPSG:2154) with two communes, one as an integer code."""
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)

    def square(lon, lat, size):
        xs, ys = to_l93.transform([lon, lon + size, lon + size, lon, lon], [lat, lat, lat + size, lat + size, lat])
        return shapely.Polygon(zip(xs, ys, strict=True))

    geometries = [square(-1.75, 48.08, 0.1), square(4.35, 45.40, 0.1)]
    pyogrio.raw.write(
        path,
        shapely.to_wkb(geometries),
        [np.array(["35238", "42218"], dtype=object), np.array(["Rennes", "Saint-Étienne"], dtype=object)],
        ["INSEE_COM", "NOM"],
        driver="GPKG",
        crs="EPSG:2154",
        geometry_type="Polygon",
        layer="communes",
    )
    return path

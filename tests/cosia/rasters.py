"""Small real-format GeoTIFFs written on the fly for the CoSIA tests (EPSG:2154, 0.2 m)."""

from pathlib import Path

import numpy as np
import rasterio
from affine import Affine

ORIGIN = (700_000.0, 6_600_000.0)  # Lambert-93, near Lyon: top-left corner of every test raster
PIXEL = 0.2


def write_raster(path: Path, array: np.ndarray, *, origin=ORIGIN, pixel: float = PIXEL, tiled: bool = False) -> Path:
    profile = {
        "driver": "GTiff",
        "dtype": "uint8",
        "count": 1,
        "height": array.shape[0],
        "width": array.shape[1],
        "crs": "EPSG:2154",
        "transform": Affine(pixel, 0.0, origin[0], 0.0, -pixel, origin[1]),
        "nodata": 0,
    }
    if tiled:
        profile.update(tiled=True, blockxsize=256, blockysize=256, compress="DEFLATE")
    with rasterio.open(path, "w", **profile) as out:
        out.write(array.astype(np.uint8), 1)
    return path


def acceptance_array() -> np.ndarray:
    """The issue's 100 × 100 raster: rows 0–49 Bâtiment (1), rows 50–99 Pelouse (13) | Zone imperméable (2)."""
    array = np.empty((100, 100), dtype=np.uint8)
    array[:50, :] = 1
    array[50:, :50] = 13
    array[50:, 50:] = 2
    return array


def triangle(size_m: float = 200.0, origin=ORIGIN):
    """The right triangle with legs of `size_m` metres at the raster's bottom-left corner (in EPSG:2154)."""
    import shapely

    x0, top = origin
    bottom = top - size_m
    return shapely.Polygon([(x0, bottom), (x0 + size_m, bottom), (x0, bottom + size_m)])

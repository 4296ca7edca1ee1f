"""Seeded synthetic CoSIA rasters: a small town with streets, buildings, gardens, fields, forest, river.

Everything is a pure function of the global pixel coordinates and the seed, so a raster of any
size is generated window by window (bounded memory) and two runs give identical files. A later
`vintage` turns a few fields into a housing estate, which gives the change matrix something to
show. Used by `communs cosia demo-data`, the demo and the benchmark — never presented as real data.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import shapely
from affine import Affine

from communs.cosia.engine.geometry import RASTER_CRS, geometry_to_geojson
from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE, Nomenclature
from communs.cosia.engine.stats import plan_windows

# Default codes (see nomenclature.py).
BATIMENT, IMPERMEABLE, PERMEABLE, PISCINE, SERRE, SOL_NU, EAU = 1, 2, 3, 4, 5, 6, 7
CONIFERE, FEUILLU, COUPE, BROUSSAILLE, PELOUSE, CULTURE, LABOUR, VIGNE = 9, 10, 11, 12, 13, 14, 15, 16

# Top-left corner of the demo raster, Lambert-93 (near Rennes, Ille-et-Vilaine): a plausible place only.
DEMO_ORIGIN = (350_000.0, 6_790_000.0)
DEMO_SIZE = 4000  # pixels: 800 m × 800 m at 0.2 m
PIXEL = 0.2
NEW_ESTATE_FROM = 2024  # vintages from this year show the new housing estate


@dataclass(frozen=True)
class Town:
    seed: int
    width: int
    height: int
    vintage: int = 2024

    @property
    def centre(self) -> tuple[float, float]:
        return self.height / 2, self.width / 2


def _hash(a: np.ndarray, b: np.ndarray, seed: int) -> np.ndarray:
    """Deterministic pseudo-random integers in [0, 2**32) from integer grids."""
    h = (a.astype(np.uint64) * np.uint64(0x9E3779B1)) ^ (b.astype(np.uint64) * np.uint64(0x85EBCA77))
    h ^= np.uint64(seed * 0xC2B2AE3D & 0xFFFFFFFF)
    h = (h ^ (h >> np.uint64(15))) * np.uint64(0x2C1B3C6D)
    h = (h ^ (h >> np.uint64(12))) * np.uint64(0x297A2D39)
    return (h ^ (h >> np.uint64(15))) & np.uint64(0xFFFFFFFF)


def town_window(town: Town, row_off: int, col_off: int, height: int, width: int) -> np.ndarray:
    rows = np.arange(row_off, row_off + height)[:, None]
    cols = np.arange(col_off, col_off + width)[None, :]
    scale = min(town.width, town.height)
    cy, cx = town.centre
    dist = np.hypot(rows - cy, cols - cx) / scale
    out = np.empty((height, width), dtype=np.uint8)

    # Countryside: parcels of ~300 px (60 m) with a crop drawn per parcel.
    parcel = 300
    pr, pc = rows // parcel, cols // (parcel + 60)
    draw = _hash(pr + 0 * cols, pc + 0 * rows, town.seed) % 100
    out[:] = np.select([draw < 40, draw < 62, draw < 82, draw < 88], [CULTURE, LABOUR, PELOUSE, VIGNE], BROUSSAILLE)
    # Hedges between parcels.
    out[(rows % parcel < 6) | (cols % (parcel + 60) < 6)] = FEUILLU

    # Forest in the north-west quarter, with a clear-cut.
    wobble = 0.04 * np.sin(cols / scale * 9 + town.seed) + 0.03 * np.cos(rows / scale * 7)
    forest = (rows / town.height + cols / town.width) < 0.55 + wobble
    out[forest] = np.where(_hash(rows // 80, cols // 80, town.seed + 1)[forest] % 3 == 0, CONIFERE, FEUILLU)
    out[forest & (np.abs(rows - 0.15 * town.height) < 120) & (np.abs(cols - 0.2 * town.width) < 200)] = COUPE

    # Town: a street grid with blocks of buildings, gardens and a few pools within 30 % of the centre.
    block = 160
    urban = dist < 0.30
    if town.vintage >= NEW_ESTATE_FROM:
        urban |= (dist < 0.40) & (cols > cx) & (rows > cy)  # the new estate of the later vintage
    in_block_r, in_block_c = rows % block, cols % block
    street = (in_block_r < 14) | (in_block_c < 14)
    building = (in_block_r > 30) & (in_block_r < 85) & (in_block_c > 28) & (in_block_c < 120)
    pool = (in_block_r > 105) & (in_block_r < 125) & (in_block_c > 60) & (in_block_c < 90)
    has_pool = _hash(rows // block, cols // block, town.seed + 2) % 5 == 0
    yard = (in_block_r >= 85) & (in_block_r < 100) & (in_block_c > 28) & (in_block_c < 120)
    town_layer = np.where(street, IMPERMEABLE, PELOUSE)
    town_layer = np.where(~street & building, BATIMENT, town_layer)
    town_layer = np.where(~street & yard, PERMEABLE, town_layer)
    town_layer = np.where(~street & pool & has_pool, PISCINE, town_layer)
    trees = _hash(rows // 12, cols // 12, town.seed + 3) % 17 == 0
    town_layer = np.where((town_layer == PELOUSE) & trees, FEUILLU, town_layer)
    out[urban] = town_layer[urban]
    # Greenhouses on the eastern edge, bare soil of a building site.
    out[(np.abs(cols - 0.9 * town.width) < 90) & (np.abs(rows - 0.3 * town.height) < 60)] = SERRE
    out[(np.abs(cols - 0.72 * town.width) < 70) & (np.abs(rows - 0.75 * town.height) < 50)] = SOL_NU

    # A river crossing from west to east, with its bridge-less roads simply interrupted.
    river_y = 0.62 * town.height + 0.06 * town.height * np.sin(cols / town.width * 2 * np.pi + town.seed)
    out[np.abs(rows - river_y) < 18] = EAU
    return out


def write_town(
    path: Path | str,
    town: Town,
    *,
    origin: tuple[float, float] = DEMO_ORIGIN,
    pixel: float = PIXEL,
    nomenclature: Nomenclature = DEFAULT_NOMENCLATURE,
    block: int = 2048,
) -> Path:
    """Write the synthetic raster as a tiled, compressed GeoTIFF with its colour table."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {
        "driver": "GTiff",
        "dtype": "uint8",
        "count": 1,
        "width": town.width,
        "height": town.height,
        "crs": RASTER_CRS,
        "transform": Affine(pixel, 0.0, origin[0], 0.0, -pixel, origin[1]),
        "nodata": 0,
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "compress": "DEFLATE",
        "BIGTIFF": "IF_SAFER",
    }
    with rasterio.open(path, "w", **profile) as out:
        out.write_colormap(1, nomenclature.colormap())
        for win in plan_windows(town.width, town.height, block):
            data = town_window(town, int(win.row_off), int(win.col_off), int(win.height), int(win.width))
            out.write(data, 1, window=win)
        out.update_tags(SYNTHETIC="yes", SEED=str(town.seed), VINTAGE=str(town.vintage))
    return path


def commune_polygon(seed: int, centre: tuple[float, float], radius: float, vertices: int = 240):
    """A commune-shaped polygon: a seeded irregular closed outline around `centre` (x, y) in metres."""
    rng = np.random.default_rng(seed)
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    # Sum of a few low-frequency harmonics: lobes and bays like a real commune boundary.
    radial = np.ones(vertices)
    for k in range(2, 9):
        radial += rng.uniform(0.02, 0.12) / (k / 2) * np.cos(k * angles + rng.uniform(0, 2 * np.pi))
    radial += rng.normal(0, 0.01, vertices)
    radial = np.clip(radial, 0.55, None)
    radial = radial / radial.max()
    xs = centre[0] + radius * radial * np.cos(angles)
    ys = centre[1] + radius * radial * np.sin(angles)
    return shapely.make_valid(shapely.Polygon(np.column_stack([xs, ys])))


def demo_dataset(
    out_dir: Path | str, *, seed: int = 2024, size: int = DEMO_SIZE, vintages: tuple[int, ...] = (2021, 2024)
) -> dict:
    """Write the demo rasters (one per vintage) and the demo commune outline; return their paths."""
    out_dir = Path(out_dir)
    rasters = {}
    for vintage in vintages:
        rasters[vintage] = write_town(out_dir / f"cosia-demo-{vintage}.tif", Town(seed, size, size, vintage))
    half = size * PIXEL / 2
    centre = (DEMO_ORIGIN[0] + half, DEMO_ORIGIN[1] - half)
    polygon = commune_polygon(seed, centre, half * 0.92)
    feature = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "demo", "nom": "Commune de démonstration"},
                "geometry": geometry_to_geojson(polygon),
            }
        ],
    }
    outline = out_dir / "commune-demo.geojson"
    outline.write_text(json.dumps(feature), encoding="utf-8")
    return {
        "rasters": {str(k): str(v) for k, v in rasters.items()},
        "territory": str(outline),
        "territory_ha": round(polygon.area / 10_000, 4),
        "seed": seed,
        "size": size,
    }

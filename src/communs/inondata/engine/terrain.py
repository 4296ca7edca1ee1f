"""Terrain: a digital terrain model (DTM) from IGN LiDAR HD point clouds, or read from a GeoTIFF.

LiDAR HD classes (IGN, "Descriptif de contenu LiDAR HD", classification ASPRS étendue):
1 non classé, 2 sol, 3–5 végétation, 6 bâtiment, 9 eau, 17 tablier de pont, 64 sursol pérenne,
65 artefacts, 66 points virtuels, 67 divers-bâtis.

- Ground (2) and water (9) points make the terrain: each cell holds the mean height of those
  falling in it.
- Bridge decks (17) are left out, so the river passes under a bridge (the cells under the deck
  hold the ground or water points seen there, or are filled from their neighbours).
- Virtual points (66) are points IGN adds where the laser saw nothing (under water or dense
  cover): they only fill cells with no ground or water point, since a measure beats a guess.
- Remaining empty cells are filled from their neighbours (mean of the filled neighbours, ring by
  ring) and flagged in `filled`.
Coordinates: EPSG:2154 (Lambert-93), heights in metres NGF-IGN69, as LiDAR HD is published.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CRS = "EPSG:2154"
TERRAIN_CLASSES = (2, 9)
FILL_CLASSES = (66,)
EXCLUDED_CLASSES = (17,)
CLASS_NAMES = {
    1: "non classé",
    2: "sol",
    3: "végétation basse",
    4: "végétation moyenne",
    5: "végétation haute",
    6: "bâtiment",
    9: "eau",
    17: "tablier de pont",
    64: "sursol pérenne",
    65: "artefacts",
    66: "points virtuels",
    67: "divers-bâtis",
}
MIN_RESOLUTION, MAX_RESOLUTION = 0.5, 2.0
MAX_CELLS = 200_000_000


class TerrainError(ValueError):
    pass


@dataclass
class Terrain:
    z: np.ndarray  # float64, NaN where unknown (outside the data)
    origin: tuple[float, float]  # (x of the left edge, y of the top edge), EPSG:2154
    resolution: float
    filled: np.ndarray | None = None  # True where the height was filled from neighbours
    water: np.ndarray | None = None  # True where LiDAR saw water (class 9): usable as river seeds
    points: int = 0
    classes: dict = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        return self.z.shape

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        rows, cols = self.z.shape
        x0, y1 = self.origin
        return (x0, y1 - rows * self.resolution, x0 + cols * self.resolution, y1)

    @property
    def transform(self):
        from affine import Affine

        return Affine(self.resolution, 0.0, self.origin[0], 0.0, -self.resolution, self.origin[1])

    @property
    def cell_area(self) -> float:
        return self.resolution * self.resolution

    def window(self, row0: int, row1: int, col0: int, col1: int) -> "Terrain":
        return Terrain(
            z=self.z[row0:row1, col0:col1],
            origin=(self.origin[0] + col0 * self.resolution, self.origin[1] - row0 * self.resolution),
            resolution=self.resolution,
        )


def _laz_files(paths: Iterable[Path | str]) -> list[Path]:
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in (".laz", ".las"))
        elif path.exists():
            files.append(path)
        else:
            raise TerrainError(f"{path} : fichier introuvable")
    if not files:
        raise TerrainError("aucun fichier LAZ ou LAS")
    return files


def fill_gaps(z: np.ndarray, *, max_rings: int = 10_000) -> np.ndarray:
    """Fill NaN cells with the mean of their known 8 neighbours, ring by ring; returns the mask filled."""
    missing = np.isnan(z)
    filled = missing.copy()
    if missing.all():
        raise TerrainError("aucun point de sol ni d'eau : impossible de construire le relief")
    rings = 0
    while missing.any() and rings < max_rings:
        known = np.where(missing, 0.0, z)
        weight = (~missing).astype(np.float64)
        total = np.zeros_like(z)
        count = np.zeros_like(z)
        padded_z = np.pad(known, 1)
        padded_w = np.pad(weight, 1)
        rows, cols = z.shape
        for dr in (0, 1, 2):
            for dc in (0, 1, 2):
                if dr == 1 and dc == 1:
                    continue
                total += padded_z[dr : dr + rows, dc : dc + cols]
                count += padded_w[dr : dr + rows, dc : dc + cols]
        newly = missing & (count > 0)
        z[newly] = total[newly] / count[newly]
        missing &= ~newly
        rings += 1
    return filled


def dtm_from_laz(
    paths: Iterable[Path | str], resolution: float = 1.0, *, bounds: tuple[float, float, float, float] | None = None
) -> Terrain:
    """A DTM on a grid of `resolution` metres covering the files (or `bounds`), see the module docstring."""
    import laspy

    if not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
        raise TerrainError(f"résolution {resolution} m hors de [{MIN_RESOLUTION}, {MAX_RESOLUTION}] m")
    files = _laz_files(paths)
    headers = []
    for path in files:
        try:
            with laspy.open(path) as reader:
                headers.append(reader.header)
        except (laspy.errors.LaspyException, OSError, ValueError) as exc:
            raise TerrainError(f"{path} : nuage de points illisible ({exc})") from exc
    if bounds is None:
        bounds = (
            min(h.mins[0] for h in headers),
            min(h.mins[1] for h in headers),
            max(h.maxs[0] for h in headers),
            max(h.maxs[1] for h in headers),
        )
    x0 = math.floor(bounds[0] / resolution) * resolution
    y1 = math.ceil(bounds[3] / resolution) * resolution
    cols = max(1, math.ceil((bounds[2] - x0) / resolution))
    rows = max(1, math.ceil((y1 - bounds[1]) / resolution))
    if rows * cols > MAX_CELLS:
        raise TerrainError(f"{rows} × {cols} cellules : au-delà de {MAX_CELLS}, découpez la zone")
    n = rows * cols
    sums = {"terrain": np.zeros(n), "fill": np.zeros(n)}
    counts = {"terrain": np.zeros(n, dtype=np.int64), "fill": np.zeros(n, dtype=np.int64)}
    water = np.zeros(n, dtype=np.int64)
    classes: dict[int, int] = {}
    points = 0
    for path in files:
        with laspy.open(path) as reader:
            for chunk in reader.chunk_iterator(2_000_000):
                cls = np.asarray(chunk.classification, dtype=np.int64)
                x, y, z = np.asarray(chunk.x), np.asarray(chunk.y), np.asarray(chunk.z)
                if not (np.isfinite(x).all() and np.isfinite(y).all() and np.isfinite(z).all()):
                    raise TerrainError(f"{path} : coordonnées non finies")
                points += len(cls)
                for value, count in zip(*np.unique(cls, return_counts=True), strict=True):
                    classes[int(value)] = classes.get(int(value), 0) + int(count)
                col = np.floor((x - x0) / resolution).astype(np.int64)
                row = np.floor((y1 - y) / resolution).astype(np.int64)
                inside = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
                cell = row * cols + col
                for kind, wanted in (("terrain", TERRAIN_CLASSES), ("fill", FILL_CLASSES)):
                    keep = inside & np.isin(cls, wanted)
                    np.add.at(sums[kind], cell[keep], z[keep])
                    np.add.at(counts[kind], cell[keep], 1)
                keep = inside & (cls == 9)
                np.add.at(water, cell[keep], 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(counts["terrain"] > 0, sums["terrain"] / counts["terrain"], np.nan)
        virtual = np.where(counts["fill"] > 0, sums["fill"] / counts["fill"], np.nan)
    z = np.where(np.isnan(z), virtual, z).reshape(rows, cols)
    filled = fill_gaps(z)
    return Terrain(
        z=z,
        origin=(x0, y1),
        resolution=float(resolution),
        filled=filled,
        water=(water > 0).reshape(rows, cols),
        points=points,
        classes={str(k): v for k, v in sorted(classes.items())},
    )


def read_dtm(path: Path | str) -> Terrain:
    """A published DTM GeoTIFF (e.g. RGE ALTI, LiDAR HD MNT): square cells, north up, EPSG:2154."""
    import rasterio
    from rasterio.errors import RasterioIOError

    try:
        with rasterio.open(path) as dataset:
            if dataset.crs is None or dataset.crs.to_epsg() != 2154:
                raise TerrainError(f"{path} : projection {dataset.crs} au lieu de Lambert-93 (EPSG:2154)")
            t = dataset.transform
            if t.b != 0 or t.d != 0 or not math.isclose(t.a, -t.e):
                raise TerrainError(f"{path} : cellules non carrées ou grille tournée")
            z = dataset.read(1, masked=True).astype(np.float64).filled(np.nan)
            origin = (t.c, t.f)
            resolution = float(t.a)
    except RasterioIOError as exc:
        raise TerrainError(f"{path} : GeoTIFF illisible ({exc})") from exc
    if np.isinf(z).any():
        raise TerrainError(f"{path} : hauteurs infinies")
    if z.size > MAX_CELLS:
        raise TerrainError(f"{path} : {z.size} cellules, au-delà de {MAX_CELLS}")
    return Terrain(z=z, origin=origin, resolution=resolution, points=0)


def write_dtm(terrain: Terrain, path: Path | str) -> Path:
    from communs.inondata.engine.rasters import write_cog

    return write_cog(path, terrain.z[np.newaxis].astype(np.float32), terrain, descriptions=["altitude (m NGF-IGN69)"])

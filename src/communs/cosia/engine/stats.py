"""Land-cover statistics of a CoSIA raster inside a polygon, tile by tile with bounded memory.

Method (documented in docs/cosia.md):
- the raster is read window by window (`plan_windows`, aligned on the file's internal tiles);
- a window wholly inside the polygon is counted as is (`numpy.bincount`), no rasterisation;
- a window crossing the boundary is rasterised (`rasterio.features.rasterize`, pixel-centre rule);
  the pixels the boundary line touches (`all_touched`) are the *edge cells*; their weight is the
  exact area of the cell ∩ polygon (shapely) divided by the cell area, computed on the polygon
  clipped to 64-pixel blocks so every intersection stays small;
- interior pixels weigh exactly 1 (pixel-exact), edge cells their coverage fraction.

`count_tile` is the per-tile unit of work: plain, picklable arguments in (path, window as a
4-tuple, WKB), a 256-long vector of weighted pixel counts out; it opens the file itself and keeps
no state. Summing those vectors is associative and commutative, so the same function runs in the
thread pool here, in a process pool, or on a Dask cluster (`count_raster(..., map_tiles=...)`,
see docs/cosia.md, "Scaling out") without change.
"""

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import rasterio
import shapely
from affine import Affine
from rasterio.features import rasterize
from rasterio.windows import Window

from communs.cosia.engine.nomenclature import ARTIFICIALISE, GROUP_LABELS, NATUREL, NON_CLASSE, Nomenclature

BINS = 256
SQUARE_METRES_PER_HECTARE = 10_000
EDGE_BLOCK = 64  # pixels: edge cells are intersected with the polygon clipped to blocks of this size
DEFAULT_WINDOW = 2048
GDAL_CACHE_MB = 64


class RasterError(ValueError):
    """A raster cannot be used for statistics; the message names the file."""


@dataclass(frozen=True)
class ClassArea:
    code: int
    name: str
    colour: str
    group: str
    pixels: float
    area_ha: float
    share: float


@dataclass(frozen=True)
class GroupArea:
    group: str
    label: str
    classes: tuple[str, ...]
    area_ha: float
    share: float


@dataclass(frozen=True)
class Statistics:
    classes: tuple[ClassArea, ...]
    total_ha: float  # area of the classified pixels inside the polygon
    nodata_ha: float  # area inside the polygon without prediction
    territory_ha: float | None  # area of the polygon itself (None: whole raster)
    pixel_size_m: float
    groups: tuple[GroupArea, ...]
    nomenclature_version: str

    def as_dict(self) -> dict:
        return {
            "classes": [
                {
                    "code": c.code,
                    "name": c.name,
                    "colour": c.colour,
                    "group": c.group,
                    "area_ha": c.area_ha,
                    "share": c.share,
                }
                for c in self.classes
            ],
            "total_ha": self.total_ha,
            "nodata_ha": self.nodata_ha,
            "territory_ha": self.territory_ha,
            "pixel_size_m": self.pixel_size_m,
            "groups": [
                {
                    "group": g.group,
                    "label": g.label,
                    "classes": list(g.classes),
                    "area_ha": g.area_ha,
                    "share": g.share,
                }
                for g in self.groups
            ],
            "nomenclature_version": self.nomenclature_version,
        }


# Window geometry computed here rather than with rasterio.windows: those helpers compose affines
# with `*`, which affine 3.x deprecates (a warning on every call, an error under the test suite).
def window_transform(win: Window, transform) -> Affine:
    """The affine transform of a window of a raster placed by `transform`."""
    a, b, c, d, e, f = transform.a, transform.b, transform.c, transform.d, transform.e, transform.f
    col, row = float(win.col_off), float(win.row_off)
    return Affine(a, b, c + a * col + b * row, d, e, f + d * col + e * row)


def window_bounds(win: Window, transform) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a window, for a north-up raster."""
    return _bounds(window_transform(win, transform), int(win.width), int(win.height))


def from_bounds(left: float, bottom: float, right: float, top: float, transform) -> Window:
    """The window (fractional offsets) covering the bounds, for a north-up raster."""
    col0 = (left - transform.c) / transform.a
    col1 = (right - transform.c) / transform.a
    row0 = (top - transform.f) / transform.e
    row1 = (bottom - transform.f) / transform.e
    return Window(min(col0, col1), min(row0, row1), abs(col1 - col0), abs(row1 - row0))


def plan_windows(width: int, height: int, block: int = DEFAULT_WINDOW) -> list[Window]:
    """Cut a width × height grid into windows of at most block × block pixels."""
    return [
        Window(col, row, min(block, width - col), min(block, height - row))
        for row in range(0, height, block)
        for col in range(0, width, block)
    ]


def _fast_bincount(values: np.ndarray) -> np.ndarray:
    """Counts per byte value of a uint8 array.

    Pairs of pixels are read as one uint16 and counted in 65,536 bins: half as many elements go
    through `numpy.bincount` (≈ 2× faster); the pair table folds back to 256 bins by summing its
    rows (first byte of the pair) and its columns (second byte), whatever the byte order.
    """
    flat = np.ascontiguousarray(values).ravel()
    if flat.dtype != np.uint8:
        return np.bincount(flat.astype(np.intp), minlength=BINS)[:BINS].astype(np.float64)
    even = flat.size - flat.size % 2
    pairs = np.bincount(flat[:even].view(np.uint16), minlength=BINS * BINS).reshape(BINS, BINS)
    counts = pairs.sum(axis=0) + pairs.sum(axis=1)
    if even != flat.size:
        counts[flat[-1]] += 1
    return counts.astype(np.float64)


_clip_by_rects = shapely.lib.clip_by_rect


def edge_coverage(rows: np.ndarray, cols: np.ndarray, transform, geometry) -> np.ndarray:
    """Exact share (0–1) of each cell (rows, cols) covered by `geometry`.

    GEOS' rectangle clipping (`clip_by_rect`) is an order of magnitude faster than a general
    intersection; the polygon is first clipped to 64-pixel blocks so each clip stays small.
    """
    coverage = np.zeros(len(rows), dtype=np.float64)
    if not len(rows):
        return coverage
    cell_area = abs(transform.a * transform.e)
    x0 = transform.c + cols * transform.a
    y0 = transform.f + rows * transform.e
    x1, y1 = x0 + transform.a, y0 + transform.e
    left, right = np.minimum(x0, x1), np.maximum(x0, x1)
    bottom, top = np.minimum(y0, y1), np.maximum(y0, y1)
    block_ids = (rows // EDGE_BLOCK) * 1_000_000 + cols // EDGE_BLOCK
    order = np.argsort(block_ids, kind="stable")
    sorted_ids = block_ids[order]
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    ends = np.r_[starts[1:], len(order)]
    for start, end in zip(starts, ends, strict=True):
        members = order[start:end]
        local = shapely.clip_by_rect(
            geometry, left[members].min(), bottom[members].min(), right[members].max(), top[members].max()
        )
        if local.is_empty:
            continue
        # One call per block, not per cell: `shapely.clip_by_rect` only takes scalar bounds, but the
        # ufunc behind it broadcasts the block's polygon over every cell's bounds (in C, GIL released).
        cells = _clip_by_rects(local, left[members], bottom[members], right[members], top[members])
        coverage[members] = shapely.area(cells) / cell_area
    return np.clip(coverage, 0.0, 1.0)


def count_window(data: np.ndarray, transform, geometry=None, boundary=None) -> np.ndarray:
    """Weighted pixel counts per code (length 256) of one window `data` placed by `transform`.

    `geometry` None counts every pixel. Otherwise: pixel-centre inside → weight 1, edge cells →
    exact coverage fraction, outside → 0. Bin 0 holds the nodata pixels inside the polygon.
    """
    if geometry is None:
        return _fast_bincount(data)
    height, width = data.shape
    box = shapely.box(*_bounds(transform, width, height))
    if not shapely.intersects(geometry, box):
        return np.zeros(BINS)
    if shapely.contains(geometry, box):
        return _fast_bincount(data)
    local = shapely.intersection(geometry, box)
    inside = rasterize([local], out_shape=(height, width), transform=transform, fill=0, default_value=1, dtype="uint8")
    if boundary is None:
        boundary = geometry.boundary
    local_boundary = shapely.intersection(boundary, box)
    edge = np.zeros((height, width), dtype=bool)
    if not local_boundary.is_empty:
        edge = rasterize(
            [local_boundary],
            out_shape=(height, width),
            transform=transform,
            fill=0,
            default_value=1,
            dtype="uint8",
            all_touched=True,
        ).astype(bool)
    inside[edge] = 0
    counts = _fast_bincount(data * inside)
    counts[0] -= inside.size - np.count_nonzero(inside)  # the zeros written outside are not nodata
    rows, cols = np.nonzero(edge)
    if len(rows):
        weights = edge_coverage(rows, cols, transform, local)
        counts += np.bincount(data[rows, cols], weights=weights, minlength=BINS)[:BINS]
    return counts


def _bounds(transform, width: int, height: int) -> tuple[float, float, float, float]:
    x0, y0 = transform.c, transform.f
    x1, y1 = x0 + width * transform.a, y0 + height * transform.e
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def count_tile(path: str, window: tuple[int, int, int, int], geometry_wkb: bytes | None = None) -> np.ndarray:
    """Per-tile unit of work (picklable arguments): weighted counts of `window` (col, row, width, height)."""
    geometry = shapely.from_wkb(geometry_wkb) if geometry_wkb else None
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB), rasterio.open(path) as dataset:
        win = Window(*window)
        return _count_in_dataset(dataset, win, geometry, geometry.boundary if geometry is not None else None)


def _count_in_dataset(dataset, win: Window, geometry, boundary) -> np.ndarray:
    transform = window_transform(win, dataset.transform)
    if geometry is not None:
        box = shapely.box(*window_bounds(win, dataset.transform))
        if not shapely.intersects(geometry, box):
            return np.zeros(BINS)  # skip the read entirely
    data = dataset.read(1, window=win)
    return count_window(data, transform, geometry, boundary)


def open_checked(path: Path | str):
    try:
        dataset = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise RasterError(f"{path} : raster illisible ({exc})") from exc
    if dataset.count < 1 or dataset.dtypes[0] != "uint8":
        dataset.close()
        raise RasterError(
            f"{path} : une bande uint8 est attendue (trouvé : {dataset.count} bande(s) {dataset.dtypes})"
        )
    if dataset.crs is None or not dataset.crs.is_projected:
        dataset.close()
        raise RasterError(f"{path} : système de coordonnées projeté attendu (EPSG:2154)")
    return dataset


def _aligned_block(dataset, block: int) -> int:
    tile = dataset.block_shapes[0][0] if dataset.block_shapes else 1
    return max(tile, (block // tile) * tile) if tile > 1 else block


def plan_raster_windows(dataset, geometry=None, block: int = DEFAULT_WINDOW) -> list[Window]:
    """Windows of `dataset` to read: aligned on its internal tiles, limited to the polygon's bounding
    box and to the windows the polygon touches (a commune in a national mosaic reads only its own)."""
    block = _aligned_block(dataset, block)
    col0, row0, col1, row1 = 0, 0, dataset.width, dataset.height
    if geometry is not None:
        span = from_bounds(*geometry.bounds, dataset.transform)
        col0 = max(0, int(np.floor(span.col_off / block)) * block)
        row0 = max(0, int(np.floor(span.row_off / block)) * block)
        col1 = min(dataset.width, int(np.ceil(span.col_off + span.width)))
        row1 = min(dataset.height, int(np.ceil(span.row_off + span.height)))
        if col1 <= col0 or row1 <= row0:
            return []
    windows = [
        Window(col0 + w.col_off, row0 + w.row_off, w.width, w.height)
        for w in plan_windows(col1 - col0, row1 - row0, block)
    ]
    if geometry is not None and windows:
        candidates = shapely.box(*np.array([window_bounds(w, dataset.transform) for w in windows]).T)
        keep = shapely.intersects(geometry, candidates)
        windows = [w for w, k in zip(windows, keep, strict=True) if k]
    return windows


def tile_tasks(path: Path | str, geometry=None, *, block: int = DEFAULT_WINDOW) -> list[tuple[int, int, int, int]]:
    """The windows `count_tile` must count for `geometry`, as plain (col, row, width, height) tuples."""
    with open_checked(path) as dataset:
        windows = plan_raster_windows(dataset, geometry, block)
    return [(int(w.col_off), int(w.row_off), int(w.width), int(w.height)) for w in windows]


# A mapper applies a one-argument function to every task and yields the results in any order:
# `ProcessPoolExecutor().map`, or `lambda f, tasks: client.gather(client.map(f, tasks))` on Dask.
TileMapper = Callable[[Callable[[tuple[int, int, int, int]], np.ndarray], list], Iterable[np.ndarray]]


def count_raster(
    path: Path | str,
    geometry=None,
    *,
    block: int = DEFAULT_WINDOW,
    workers: int = 1,
    advance: Callable[..., None] | None = None,
    map_tiles: TileMapper | None = None,
) -> tuple[np.ndarray, float]:
    """Weighted counts per code over the raster (within `geometry` if given) and the pixel area (m²).

    Memory is bounded by `workers` windows of `block` × `block` bytes plus their masks. With
    `map_tiles`, the windows are counted by `count_tile` wherever the mapper runs it (processes,
    a cluster) and only the 256-long vectors come back.
    """
    with open_checked(path) as dataset:
        pixel_area = abs(dataset.transform.a * dataset.transform.e)
        windows = plan_raster_windows(dataset, geometry, block)
        if advance:
            advance(0, total=len(windows))
    wkb = shapely.to_wkb(geometry) if geometry is not None else None
    total = np.zeros(BINS)
    if map_tiles is not None:
        tasks = [(int(w.col_off), int(w.row_off), int(w.width), int(w.height)) for w in windows]
        for counts in map_tiles(partial(count_tile, str(path), geometry_wkb=wkb), tasks):
            total += counts
            if advance:
                advance(1)
        return total, pixel_area

    def run(chunk: Iterable[Window]) -> np.ndarray:
        # Each thread works on its own copy of the polygon: GEOS prepared geometries are not
        # safe to share between threads (a shared one crashed the interpreter in the bench).
        local = shapely.from_wkb(wkb) if wkb is not None else None
        if local is not None:
            shapely.prepare(local)
        boundary = local.boundary if local is not None else None
        subtotal = np.zeros(BINS)
        # Windows are aligned on the file's tiles and read once: GDAL's block cache (5 % of RAM by
        # default) would only hold memory, so it is kept small.
        with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB), rasterio.open(path) as dataset:
            for win in chunk:
                subtotal += _count_in_dataset(dataset, win, local, boundary)
                if advance:
                    advance(1)
        return subtotal

    if workers <= 1:
        total += run(windows)
    else:
        chunks = [windows[i::workers] for i in range(workers)]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for subtotal in pool.map(run, chunks):
                total += subtotal
    return total, pixel_area


def summarise(
    counts: np.ndarray,
    pixel_area_m2: float,
    nomenclature: Nomenclature,
    *,
    territory_area_m2: float | None = None,
    digits: int = 4,
) -> Statistics:
    """Hectares and shares per class (every class listed, 0 when absent) and per group."""
    ha_per_pixel = pixel_area_m2 / SQUARE_METRES_PER_HECTARE
    class_pixels = {cls.code: float(counts[cls.code]) for cls in nomenclature.classes}
    classified = sum(class_pixels.values())
    unknown = float(counts.sum() - classified - counts[nomenclature.nodata])
    total_ha = classified * ha_per_pixel
    classes = tuple(
        ClassArea(
            code=cls.code,
            name=cls.name,
            colour=cls.colour,
            group=cls.group,
            pixels=class_pixels[cls.code],
            area_ha=round(class_pixels[cls.code] * ha_per_pixel, digits),
            share=round(class_pixels[cls.code] / classified, digits) if classified else 0.0,
        )
        for cls in nomenclature.classes
    )
    groups = []
    for group in (ARTIFICIALISE, NATUREL, NON_CLASSE):
        members = [cls for cls in nomenclature.classes if cls.group == group]
        pixels = sum(class_pixels[cls.code] for cls in members)
        groups.append(
            GroupArea(
                group=group,
                label=GROUP_LABELS[group],
                classes=tuple(cls.name for cls in members),
                area_ha=round(pixels * ha_per_pixel, digits),
                share=round(pixels / classified, digits) if classified else 0.0,
            )
        )
    return Statistics(
        classes=classes,
        total_ha=round(total_ha, digits),
        nodata_ha=round((float(counts[nomenclature.nodata]) + unknown) * ha_per_pixel, digits),
        territory_ha=round(territory_area_m2 / SQUARE_METRES_PER_HECTARE, digits) if territory_area_m2 else None,
        pixel_size_m=round(pixel_area_m2**0.5, 6),
        groups=tuple(groups),
        nomenclature_version=nomenclature.version,
    )


def raster_statistics(
    path: Path | str,
    nomenclature: Nomenclature,
    geometry=None,
    *,
    block: int = DEFAULT_WINDOW,
    workers: int = 1,
    advance: Callable[..., None] | None = None,
    map_tiles: TileMapper | None = None,
) -> Statistics:
    counts, pixel_area = count_raster(
        path, geometry, block=block, workers=workers, advance=advance, map_tiles=map_tiles
    )
    return summarise(
        counts, pixel_area, nomenclature, territory_area_m2=geometry.area if geometry is not None else None
    )

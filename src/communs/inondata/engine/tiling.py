"""Tile-by-tile frames: the same per-tile function runs in a loop, a process pool or on Dask.

The spill levels are computed once over the whole terrain (`spill.py`: one compiled pass, about
30 bytes per cell), since a cell's spill level can depend on terrain far away. What scales with
the number of frames — depths of every frame, arrival, maximum depth, duration and the per-frame
sums — is computed tile by tile. Each task carries its tile plus a halo of `HALO` cells on every
side: the halo is not counted in the sums or written to the rasters, but the tile's terrain mesh
for the web viewer includes it so neighbouring meshes share their edge vertices (no seam).
`process_tile` takes and returns plain NumPy data, so it pickles to Dask workers.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from communs.inondata.engine.frames import arrival_times, depth_at, durations
from communs.inondata.engine.hydrograph import Hydrograph

TILE = 1024
HALO = 1


@dataclass(frozen=True)
class TileTask:
    row0: int  # the tile's core, in grid cells
    col0: int
    rows: int
    cols: int
    top: int  # halo actually present on each side (0 at the terrain's edge)
    left: int
    z: np.ndarray  # core + halo
    spill: np.ndarray  # core + halo
    times: tuple[float, ...]
    levels: tuple[float, ...]
    cell_area: float


@dataclass
class TileResult:
    row0: int
    col0: int
    depths: np.ndarray  # (frames, rows, cols) float32, core only
    arrival: np.ndarray
    max_depth: np.ndarray
    duration: np.ndarray
    wet_cells: np.ndarray  # per frame
    volume_m3: np.ndarray  # per frame
    max_depth_m: np.ndarray  # per frame


def plan_tiles(shape: tuple[int, int], tile: int = TILE) -> list[tuple[int, int, int, int]]:
    rows, cols = shape
    return [
        (r, c, min(tile, rows - r), min(tile, cols - c)) for r in range(0, rows, tile) for c in range(0, cols, tile)
    ]


def make_tasks(z, spill, hydrograph: Hydrograph, cell_area: float, tile: int = TILE) -> Iterable[TileTask]:
    rows, cols = z.shape
    for row0, col0, height, width in plan_tiles(z.shape, tile):
        r0, c0 = max(0, row0 - HALO), max(0, col0 - HALO)
        r1, c1 = min(rows, row0 + height + HALO), min(cols, col0 + width + HALO)
        yield TileTask(
            row0=row0,
            col0=col0,
            rows=height,
            cols=width,
            top=row0 - r0,
            left=col0 - c0,
            z=np.ascontiguousarray(z[r0:r1, c0:c1]),
            spill=np.ascontiguousarray(spill[r0:r1, c0:c1]),
            times=hydrograph.times,
            levels=hydrograph.levels,
            cell_area=cell_area,
        )


def process_tile(task: TileTask) -> TileResult:
    core = (slice(task.top, task.top + task.rows), slice(task.left, task.left + task.cols))
    z, spill = task.z[core], task.spill[core]
    hydrograph = Hydrograph(task.times, task.levels)
    depths = np.stack([depth_at(z, spill, level) for level in task.levels])
    wet = np.stack([spill <= level for level in task.levels])
    flat = depths.reshape(len(task.levels), -1)
    return TileResult(
        row0=task.row0,
        col0=task.col0,
        depths=depths,
        arrival=arrival_times(spill, hydrograph),
        max_depth=depth_at(z, spill, max(task.levels)),
        duration=durations(spill, hydrograph),
        wet_cells=wet.reshape(len(task.levels), -1).sum(axis=1),
        volume_m3=flat.sum(axis=1, dtype=np.float64) * task.cell_area,
        max_depth_m=flat.max(axis=1) if flat.shape[1] else np.zeros(len(task.levels)),
    )


def run_tiles(
    z,
    spill,
    hydrograph: Hydrograph,
    cell_area: float,
    *,
    tile: int = TILE,
    mapper: Callable | None = None,
    advance: Callable[..., None] | None = None,
) -> dict:
    """Assemble the tiles' results into whole-terrain arrays and per-frame sums.

    `mapper(process_tile, tasks)` returns results in any order (e.g. a Dask client's
    `lambda f, t: client.gather(client.map(f, list(t)))`); default: the built-in `map`.
    """
    frames = len(hydrograph)
    rows, cols = z.shape
    out = {
        "depths": np.zeros((frames, rows, cols), dtype=np.float32),
        "arrival": np.full((rows, cols), np.nan, dtype=np.float32),
        "max_depth": np.zeros((rows, cols), dtype=np.float32),
        "duration": np.zeros((rows, cols), dtype=np.float32),
        "wet_cells": np.zeros(frames, dtype=np.int64),
        "volume_m3": np.zeros(frames),
        "max_depth_m": np.zeros(frames),
    }
    tasks = list(make_tasks(z, spill, hydrograph, cell_area, tile))
    if advance:
        advance(0, total=len(tasks))
    for result in (mapper or map)(process_tile, tasks):
        window = (
            slice(result.row0, result.row0 + result.depths.shape[1]),
            slice(result.col0, result.col0 + result.depths.shape[2]),
        )
        out["depths"][(slice(None), *window)] = result.depths
        out["arrival"][window] = result.arrival
        out["max_depth"][window] = result.max_depth
        out["duration"][window] = result.duration
        out["wet_cells"] += result.wet_cells
        out["volume_m3"] += result.volume_m3
        out["max_depth_m"] = np.maximum(out["max_depth_m"], result.max_depth_m)
        if advance:
            advance(1)
    return out

"""Frames of a hydrograph: wet cells, depths, and the arrival / maximum depth / duration maps.

A cell is wet at level H when its spill level is at most H (`spill.py`); its depth is then
`H − z`. Between two rows of the hydrograph the level varies linearly, so a cell whose spill level
s lies between H(t_k) and H(t_k+1) is reached at `t_k + (s − H_k) / (H_k+1 − H_k) · Δt` (its
arrival time) and, in the same way, the time it stays under water in each interval is the part of
the interval where H(t) ≥ s (its submersion duration). The maximum depth is `max_t H(t) − z`.
"""

from dataclasses import dataclass

import numpy as np

from communs.inondata.engine.hydrograph import Hydrograph


@dataclass(frozen=True)
class FrameStats:
    t: float
    level: float
    wet_cells: int
    wet_area_m2: float
    volume_m3: float
    max_depth_m: float


def depth_at(z: np.ndarray, spill: np.ndarray, level: float) -> np.ndarray:
    """Depth (float32, 0 when dry) of every cell at water level `level`."""
    wet = spill <= level
    return np.where(wet, level - z, 0.0).astype(np.float32)


def frame_stats(z: np.ndarray, spill: np.ndarray, t: float, level: float, cell_area: float) -> FrameStats:
    """Sums of one frame without building the depth grid: the wet cells' heights are gathered once,
    volume = (count × H − Σ z) × cell area and maximum depth = H − min z."""
    heights = z[spill <= level]
    count = int(heights.size)
    return FrameStats(
        t=float(t),
        level=float(level),
        wet_cells=count,
        wet_area_m2=count * cell_area,
        volume_m3=float(count * level - heights.sum(dtype=np.float64)) * cell_area if count else 0.0,
        max_depth_m=float(level - heights.min()) if count else 0.0,
    )


def arrival_times(spill: np.ndarray, hydrograph: Hydrograph) -> np.ndarray:
    """Minutes from the start until the water first reaches each cell; NaN where it never does."""
    times, levels = hydrograph.times, hydrograph.levels
    arrival = np.full(spill.shape, np.nan, dtype=np.float32)
    arrival[spill <= levels[0]] = times[0]
    for k in range(len(times) - 1):
        h0, h1 = levels[k], levels[k + 1]
        if h1 <= h0:
            continue
        reached = np.isnan(arrival) & (spill > h0) & (spill <= h1)
        arrival[reached] = times[k] + (spill[reached] - h0) / (h1 - h0) * (times[k + 1] - times[k])
    return arrival


def durations(spill: np.ndarray, hydrograph: Hydrograph) -> np.ndarray:
    """Minutes under water over the hydrograph (linear level between rows); 0 where never wet."""
    times, levels = hydrograph.times, hydrograph.levels
    total = np.zeros(spill.shape, dtype=np.float32)
    for k in range(len(times) - 1):
        h0, h1 = levels[k], levels[k + 1]
        dt = times[k + 1] - times[k]
        if h0 == h1:
            total += np.where(spill <= h0, dt, 0.0).astype(np.float32)
            continue
        share = np.clip((max(h0, h1) - spill) / abs(h1 - h0), 0.0, 1.0)
        total += (share * dt).astype(np.float32)
    return total


def max_depths(z: np.ndarray, spill: np.ndarray, hydrograph: Hydrograph) -> np.ndarray:
    return depth_at(z, spill, max(hydrograph.levels))

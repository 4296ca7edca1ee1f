"""Inondata: spill levels on a 10-million-cell terrain, then the cost of one frame; peak memory.

Prints figures; asserts nothing. Targets (issue 17): spill levels ≤ 10 s on 10 M cells, then
≤ 0.5 s per frame. The terrain is a seeded valley (slopes, meanders, noise, a river channel
along one edge) of 3,163 × 3,163 cells at 1 m; numba's compilation is timed apart on a tiny
grid first (it is cached on disk afterwards). Peak memory is the process' ru_maxrss.
"""

import os
import resource
import time

import numpy as np

from communs.inondata.engine.frames import frame_stats
from communs.inondata.engine.hydrograph import Hydrograph
from communs.inondata.engine.spill import spill_levels
from communs.inondata.engine.tiling import make_tasks, process_tile

SIZE = 3163  # 10,004,569 cells


def terrain(size: int = SIZE, seed: int = 17) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    z = 10 + 0.004 * x + 1.5 * np.sin(x / 90.0) * np.cos(y / 130.0) + 0.8 * np.sin((x + y) / 45.0)
    z += rng.normal(0, 0.05, z.shape).astype(np.float32)
    z[:, :20] = 8.0  # the river
    seeds = np.zeros(z.shape, dtype=bool)
    seeds[:, :20] = True
    return z.astype(np.float64), seeds


def main() -> None:
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (figures scale with it)")
    started = time.perf_counter()
    tiny = np.array([[0.0, 1.0], [2.0, 3.0]])
    spill_levels(tiny, tiny == 0)
    print(f"numba compilation (or cache load): {time.perf_counter() - started:.2f} s")
    z, seeds = terrain()
    print(f"terrain: {z.shape[0]} × {z.shape[1]} = {z.size:,} cells")
    started = time.perf_counter()
    spill = spill_levels(z, seeds, 4)
    print(f"spill levels, 4-connectivity: {time.perf_counter() - started:.2f} s (target ≤ 10 s)")
    started = time.perf_counter()
    spill_levels(z, seeds, 8)
    print(f"spill levels, 8-connectivity: {time.perf_counter() - started:.2f} s")
    levels = [12.0, 13.0, 14.0, 15.0, 16.0]
    times = []
    for level in levels:
        started = time.perf_counter()
        stats = frame_stats(z, spill, 0.0, level, 1.0)
        times.append(time.perf_counter() - started)
    print(
        f"one frame (wet, depth, area, volume, max): mean {np.mean(times):.3f} s, max {max(times):.3f} s "
        f"(target ≤ 0.5 s); last: {stats.wet_area_m2:,.0f} m² wet"
    )
    hydrograph = Hydrograph(tuple(float(10 * i) for i in range(len(levels))), tuple(levels))
    started = time.perf_counter()
    for task in make_tasks(z, spill, hydrograph, 1.0, tile=1024):
        process_tile(task)
    elapsed = time.perf_counter() - started
    print(
        f"tiled frames + arrival + max + duration, {len(levels)} frames: {elapsed:.2f} s "
        f"({elapsed / len(levels):.3f} s per frame)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss): {peak:.0f} MB; load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

"""Estim'Action: exposure for a département-sized input (≈ 150,000 populated cells, ≈ 50,000 noise
polygons). Prints figures; asserts nothing. Pure engine: no database."""

import sys
import time

import numpy as np

from communs.estimaction.engine.exposure import compute_exposure
from communs.estimaction.synthetic import Centre, synthetic_grid, synthetic_noise, synthetic_roads

CENTRE = (3_480_000.0, 2_830_000.0)


def main() -> None:
    roads_count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    started = time.perf_counter()
    # A 46 km radius disc of 200 m cells, thinned by a Poisson draw: ≈ 150,000 populated cells.
    grid = synthetic_grid([Centre("35238", *CENTRE, 1.0)], radius_m=46_000, seed=1, people_per_cell=30)
    roads = synthetic_roads(CENTRE, count=roads_count, extent_m=60_000, seed=2)
    zones = synthetic_noise(roads)
    prepared = time.perf_counter() - started
    print(f"populated cells          {len(grid):>10,}")
    print(f"population               {grid.total:>10,.0f}")
    print(f"noise polygons           {len(zones):>10,}")
    print(f"input generation         {prepared:>10.1f} s")
    started, cpu = time.perf_counter(), time.process_time()
    result = compute_exposure(grid, zones)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU time is what the machine would take unloaded; wall time includes waiting for other processes.
    print(f"exposure (lden+lnight)   {elapsed:>10.1f} s wall, {cpu:.1f} s CPU   (target ≤ 60 s)")
    print(f"overlaps resolved      {result.overlaps_resolved:>10,}")
    for indicator in ("lden", "lnight"):
        bands = "  ".join(f"{label} {value:,.0f}" for label, value in result.bands[indicator].items())
        print(f"{indicator:<7} {bands}")
    assert np.isclose(sum(result.bands["lden"].values()), grid.total)


if __name__ == "__main__":
    main()

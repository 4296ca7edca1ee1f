"""Spill levels by priority flood: for each cell, the lowest water level at which it joins the river.

From the seed cells (the river), cells are taken in increasing order of the level needed to reach
them (a binary heap); a neighbour's spill level is `max(level of the cell it is reached from, its
own height)`. Because the levels taken from the heap never decrease, the first level a cell
receives is its lowest one (Barnes, Lehman & Mulla 2014, "Priority-Flood", Computers &
Geosciences 62; the plain FIFO queue for cells lying under the current level is their
"improved" variant, which skips the heap for depressions). Cells with no height (NaN) never flood
and stop the water; cells unreachable from a seed keep `inf`.

The loop is compiled with numba in `spill_kernel.py` (imported inside `spill_levels`, never at
Django start; cached on disk).
"""

import numpy as np

NEIGHBOURS = {
    4: ((-1, 0), (1, 0), (0, -1), (0, 1)),
    8: ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)),
}


def spill_levels(z: np.ndarray, seeds: np.ndarray, connectivity: int = 4) -> np.ndarray:
    """Spill level (same unit as `z`) of every cell; `inf` where the river never reaches."""
    if connectivity not in NEIGHBOURS:
        raise ValueError(f"connectivité {connectivity} invalide (4 ou 8)")
    z = np.ascontiguousarray(z, dtype=np.float64)
    seeds = np.ascontiguousarray(seeds, dtype=np.bool_)
    if z.ndim != 2 or seeds.shape != z.shape:
        raise ValueError(f"relief {z.shape} et graines {seeds.shape} de formes différentes")
    if z.size >= 2**31:
        raise ValueError(f"{z.size} cellules : au-delà de 2³¹, découpez la zone")
    if np.isinf(z).any():
        raise ValueError("le relief contient des valeurs infinies")
    offsets = np.array(NEIGHBOURS[connectivity], dtype=np.int64)
    from communs.inondata.engine.spill_kernel import flood

    return flood(z, seeds, offsets[:, 0].copy(), offsets[:, 1].copy())

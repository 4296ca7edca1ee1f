"""Spill levels by priority flood: for each cell, the lowest water level at which it joins the river.

From the seed cells (the river), cells are taken in increasing order of the level needed to reach
them (a binary heap); a neighbour's spill level is `max(level of the cell it is reached from, its
own height)`. Because the levels taken from the heap never decrease, the first level a cell
receives is its lowest one (Barnes, Lehman & Mulla 2014, "Priority-Flood", Computers &
Geosciences 62; the plain FIFO queue for cells lying under the current level is their
"improved" variant, which skips the heap for depressions). Cells with no height (NaN) never flood
and stop the water; cells unreachable from a seed keep `inf`.

The loop is compiled with numba (imported inside `spill_levels`, never at Django start).
"""

import numpy as np

NEIGHBOURS = {
    4: ((-1, 0), (1, 0), (0, -1), (0, 1)),
    8: ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)),
}

_compiled = None


def _kernel():
    global _compiled
    if _compiled is not None:
        return _compiled
    import numba

    @numba.njit(cache=True)
    def heap_push(keys, items, size, key, item):
        i = size
        keys[i] = key
        items[i] = item
        while i > 0:
            parent = (i - 1) >> 1
            if keys[parent] <= keys[i]:
                break
            keys[parent], keys[i] = keys[i], keys[parent]
            items[parent], items[i] = items[i], items[parent]
            i = parent
        return size + 1

    @numba.njit(cache=True)
    def heap_pop(keys, items, size):
        key, item = keys[0], items[0]
        size -= 1
        keys[0], items[0] = keys[size], items[size]
        i = 0
        while True:
            left = 2 * i + 1
            if left >= size:
                break
            child = left
            if left + 1 < size and keys[left + 1] < keys[left]:
                child = left + 1
            if keys[i] <= keys[child]:
                break
            keys[child], keys[i] = keys[i], keys[child]
            items[child], items[i] = items[i], items[child]
            i = child
        return key, item, size

    @numba.njit(cache=True)
    def flood(z, seeds, offsets_r, offsets_c):
        rows, cols = z.shape
        n = rows * cols
        spill = np.full(n, np.inf)
        queued = np.zeros(n, dtype=np.bool_)
        keys = np.empty(n, dtype=np.float64)
        items = np.empty(n, dtype=np.int64)
        fifo = np.empty(n, dtype=np.int64)
        size = 0
        flat = z.ravel()
        seed_flat = seeds.ravel()
        for i in range(n):
            if seed_flat[i] and not np.isnan(flat[i]):
                spill[i] = flat[i]
                queued[i] = True
                size = heap_push(keys, items, size, flat[i], i)
        head = 0
        tail = 0
        while size > 0 or head < tail:
            if head < tail:
                cell = fifo[head]
                head += 1
                level = spill[cell]
            else:
                level, cell, size = heap_pop(keys, items, size)
                head = 0
                tail = 0
            r = cell // cols
            c = cell - r * cols
            for k in range(offsets_r.shape[0]):
                rr = r + offsets_r[k]
                cc = c + offsets_c[k]
                if rr < 0 or rr >= rows or cc < 0 or cc >= cols:
                    continue
                other = rr * cols + cc
                if queued[other]:
                    continue
                height = flat[other]
                if np.isnan(height):
                    continue
                queued[other] = True
                if height <= level:
                    spill[other] = level
                    fifo[tail] = other
                    tail += 1
                else:
                    spill[other] = height
                    size = heap_push(keys, items, size, height, other)
        return spill.reshape(rows, cols)

    _compiled = flood
    return flood


def spill_levels(z: np.ndarray, seeds: np.ndarray, connectivity: int = 4) -> np.ndarray:
    """Spill level (same unit as `z`) of every cell; `inf` where the river never reaches."""
    if connectivity not in NEIGHBOURS:
        raise ValueError(f"connectivité {connectivity} invalide (4 ou 8)")
    z = np.ascontiguousarray(z, dtype=np.float64)
    seeds = np.ascontiguousarray(seeds, dtype=np.bool_)
    if z.ndim != 2 or seeds.shape != z.shape:
        raise ValueError(f"relief {z.shape} et graines {seeds.shape} de formes différentes")
    if np.isinf(z).any():
        raise ValueError("le relief contient des valeurs infinies")
    offsets = np.array(NEIGHBOURS[connectivity], dtype=np.int64)
    return _kernel()(z, seeds, offsets[:, 0].copy(), offsets[:, 1].copy())

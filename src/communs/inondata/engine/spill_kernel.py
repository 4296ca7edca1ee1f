"""The compiled priority-flood loop (numba). Imported only by `spill.spill_levels`, never at start-up.

Module-level functions so numba's on-disk cache (`cache=True`) is hit by every later process.
"""

import numba
import numpy as np


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
    items = np.empty(n, dtype=np.int32)  # cell indices: terrain.MAX_CELLS (2 × 10⁸) < 2³¹
    fifo = np.empty(n, dtype=np.int32)
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

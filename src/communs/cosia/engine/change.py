"""Comparison of two vintages on the same grid: the change matrix in hectares (from → to).

Both rasters must share CRS, resolution and grid origin (the CoSIA tiling guarantees it for a
given département); they are read over their common extent, window by window. The polygon, when
given, is applied with the pixel-centre rule (a change matrix counts whole pixels).
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from rasterio.features import rasterize

from communs.cosia.engine.nomenclature import Nomenclature
from communs.cosia.engine.stats import (
    BINS,
    SQUARE_METRES_PER_HECTARE,
    RasterError,
    from_bounds,
    open_checked,
    plan_windows,
    window_bounds,
    window_transform,
)


@dataclass(frozen=True)
class ChangeMatrix:
    codes: tuple[int, ...]
    names: tuple[str, ...]
    hectares: tuple[tuple[float, ...], ...]  # hectares[i][j]: from codes[i] to codes[j]

    def as_dict(self) -> dict:
        changes = [
            {
                "from": self.names[i],
                "from_code": self.codes[i],
                "to": self.names[j],
                "to_code": self.codes[j],
                "area_ha": float(self.hectares[i][j]),
            }
            for i in range(len(self.codes))
            for j in range(len(self.codes))
            if i != j and self.hectares[i][j] > 0
        ]
        return {
            "codes": list(self.codes),
            "names": list(self.names),
            "matrix_ha": [list(row) for row in self.hectares],
            "changes": changes,
        }

    def unchanged_ha(self) -> float:
        return sum(self.hectares[i][i] for i in range(len(self.codes)))


def change_matrix(
    before: Path | str,
    after: Path | str,
    nomenclature: Nomenclature,
    geometry=None,
    *,
    block: int = 2048,
    digits: int = 4,
) -> ChangeMatrix:
    with open_checked(before) as a, open_checked(after) as b:
        if a.crs != b.crs or not np.allclose(a.res, b.res):
            raise RasterError(f"{before} et {after} : grilles différentes (CRS ou résolution)")
        left, bottom = max(a.bounds.left, b.bounds.left), max(a.bounds.bottom, b.bounds.bottom)
        right, top = min(a.bounds.right, b.bounds.right), min(a.bounds.top, b.bounds.top)
        if right <= left or top <= bottom:
            raise RasterError(f"{before} et {after} : aucune emprise commune")
        full_a = from_bounds(left, bottom, right, top, a.transform).round_offsets().round_lengths()
        full_b = from_bounds(left, bottom, right, top, b.transform).round_offsets().round_lengths()
        pairs = np.zeros(BINS * BINS)
        for win in plan_windows(int(full_a.width), int(full_a.height), block):
            win_a = win.__class__(full_a.col_off + win.col_off, full_a.row_off + win.row_off, win.width, win.height)
            win_b = win.__class__(full_b.col_off + win.col_off, full_b.row_off + win.row_off, win.width, win.height)
            transform = window_transform(win_a, a.transform)
            data_a = a.read(1, window=win_a).astype(np.intp)
            data_b = b.read(1, window=win_b).astype(np.intp)
            code = data_a * BINS + data_b
            if geometry is not None:
                box = shapely.box(*window_bounds(win_a, a.transform))
                if not shapely.intersects(geometry, box):
                    continue
                if not shapely.contains(geometry, box):
                    mask = rasterize(
                        [geometry], out_shape=code.shape, transform=transform, fill=0, default_value=1, dtype="uint8"
                    ).astype(bool)
                    code = code[mask]
            pairs += np.bincount(code.ravel(), minlength=BINS * BINS)
        ha_per_pixel = abs(a.transform.a * a.transform.e) / SQUARE_METRES_PER_HECTARE
    matrix = pairs.reshape(BINS, BINS)
    codes = tuple(nomenclature.codes)
    return ChangeMatrix(
        codes=codes,
        names=tuple(nomenclature.get(c).name for c in codes),
        hectares=tuple(tuple(round(float(matrix[i, j]) * ha_per_pixel, digits) for j in codes) for i in codes),
    )

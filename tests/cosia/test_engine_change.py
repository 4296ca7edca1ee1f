"""Vintage comparison: the change matrix in hectares."""

import numpy as np
import pytest
import shapely

from communs.cosia.engine.change import change_matrix
from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE
from communs.cosia.engine.stats import RasterError
from tests.cosia.rasters import ORIGIN, write_raster

CULTURE, BATIMENT, PELOUSE = 14, 1, 13


@pytest.fixture
def vintages(tmp_path):
    before = np.full((100, 100), CULTURE, dtype=np.uint8)
    after = before.copy()
    after[:50, :] = BATIMENT  # 5,000 px × 0.04 m² = 200 m² = 0.02 ha built over
    after[50:60, :] = PELOUSE  # 1,000 px × 0.04 m² = 40 m² = 0.004 ha turned to grass
    return write_raster(tmp_path / "2021.tif", before), write_raster(tmp_path / "2024.tif", after)


def _cell(matrix, source, target):
    codes = list(matrix.codes)
    return matrix.hectares[codes.index(source)][codes.index(target)]


@pytest.mark.parametrize(
    ("source", "target", "area_ha"),
    [
        (CULTURE, BATIMENT, 0.02),
        (CULTURE, PELOUSE, 0.004),
        (CULTURE, CULTURE, 0.016),  # 40 rows × 100 × 0.04 m² = 160 m² unchanged
        (BATIMENT, CULTURE, 0.0),
    ],
)
def test_change_matrix(vintages, source, target, area_ha):
    matrix = change_matrix(*vintages, DEFAULT_NOMENCLATURE)
    assert _cell(matrix, source, target) == pytest.approx(area_ha)


def test_change_matrix_within_a_polygon(vintages):
    x0, top = ORIGIN
    top_half = shapely.box(x0, top - 10, x0 + 20, top)  # rows 0–49 only
    matrix = change_matrix(*vintages, DEFAULT_NOMENCLATURE, top_half)
    assert _cell(matrix, CULTURE, BATIMENT) == pytest.approx(0.02)
    assert _cell(matrix, CULTURE, PELOUSE) == 0
    assert matrix.as_dict()["changes"] == [
        {"from": "Culture", "from_code": 14, "to": "Bâtiment", "to_code": 1, "area_ha": pytest.approx(0.02)}
    ]


def test_disjoint_rasters_are_refused(tmp_path, vintages):
    far = write_raster(tmp_path / "far.tif", np.ones((10, 10)), origin=(ORIGIN[0] + 5000, ORIGIN[1]))
    with pytest.raises(RasterError, match="aucune emprise commune"):
        change_matrix(vintages[0], far, DEFAULT_NOMENCLATURE)

"""Statistics per class inside a polygon: pixel-exact inside, coverage-weighted at the edge."""

import numpy as np
import pytest
import shapely

from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE
from communs.cosia.engine.stats import (
    count_raster,
    count_tile,
    plan_windows,
    raster_statistics,
    summarise,
    tile_tasks,
)
from tests.cosia.rasters import ORIGIN, acceptance_array, triangle, write_raster

X0, TOP = ORIGIN


def _by_name(stats):
    return {c.name: c for c in stats.classes}


@pytest.fixture
def acceptance_raster(tmp_path):
    return write_raster(tmp_path / "acceptance.tif", acceptance_array())


@pytest.mark.parametrize(
    ("name", "area_ha", "share"),
    [
        # 50 rows × 100 columns = 5,000 px × 0.04 m² = 200 m² = 0.0200 ha, 5,000 / 10,000 = 50 %
        ("Bâtiment", 0.0200, 0.50),
        # 50 rows × 50 columns = 2,500 px × 0.04 m² = 100 m² = 0.0100 ha, 25 %
        ("Pelouse", 0.0100, 0.25),
        ("Zone imperméable", 0.0100, 0.25),
        ("Vigne", 0.0, 0.0),  # absent classes are listed with 0
    ],
)
def test_acceptance_raster_whole(acceptance_raster, name, area_ha, share):
    stats = raster_statistics(acceptance_raster, DEFAULT_NOMENCLATURE)
    assert _by_name(stats)[name].area_ha == pytest.approx(area_ha, abs=1e-9)
    assert _by_name(stats)[name].share == pytest.approx(share, abs=1e-9)
    assert stats.total_ha == pytest.approx(0.04)  # 100 × 100 px × 0.04 m² = 400 m²
    assert len(stats.classes) == 17


def test_acceptance_raster_with_the_raster_outline_as_polygon(acceptance_raster):
    outline = shapely.box(X0, TOP - 20, X0 + 20, TOP)  # 20 m × 20 m: the whole raster
    stats = raster_statistics(acceptance_raster, DEFAULT_NOMENCLATURE, outline)
    assert [_by_name(stats)[n].area_ha for n in ("Bâtiment", "Pelouse", "Zone imperméable")] == pytest.approx(
        [0.02, 0.01, 0.01]
    )
    assert stats.territory_ha == pytest.approx(0.04)


def test_edge_cells_are_weighted_by_their_covered_share(acceptance_raster):
    # A polygon 10.1 m wide over the whole height: 50 full columns + half of column 50.
    # Rows 0–49 (Bâtiment): 50 rows × 50.5 columns × 0.04 m² = 101 m² = 0.0101 ha
    # Rows 50–99: Pelouse fills columns 0–49 (50 × 50 × 0.04 = 100 m²); the half column 50 is
    # Zone imperméable: 50 rows × 0.5 × 0.04 m² = 1 m² = 0.0001 ha. The pixel-centre rule would give 0.
    strip = shapely.box(X0, TOP - 20, X0 + 10.1, TOP)
    stats = _by_name(raster_statistics(acceptance_raster, DEFAULT_NOMENCLATURE, strip))
    assert stats["Bâtiment"].area_ha == pytest.approx(0.0101, abs=1e-9)
    assert stats["Pelouse"].area_ha == pytest.approx(0.0100, abs=1e-9)
    assert stats["Zone imperméable"].area_ha == pytest.approx(0.0001, abs=1e-9)


@pytest.mark.parametrize("block", [64, 200, 2048])
def test_triangle_area_is_exact_whatever_the_window_size(tmp_path, block):
    # 1000 × 1000 px of Culture (14) = 200 m × 200 m; triangle with legs 200 m = 200 × 200 / 2 = 20,000 m² = 2 ha.
    path = write_raster(tmp_path / "culture.tif", np.full((1000, 1000), 14), tiled=True)
    stats = raster_statistics(path, DEFAULT_NOMENCLATURE, triangle(), block=block)
    assert _by_name(stats)["Culture"].area_ha == pytest.approx(2.0, abs=1e-6)
    assert stats.total_ha == pytest.approx(2.0, abs=1e-6)


def test_nodata_inside_the_polygon_is_reported_apart(tmp_path):
    array = acceptance_array()
    array[:10, :] = 0  # 10 rows × 100 × 0.04 m² = 40 m² = 0.004 ha without prediction
    path = write_raster(tmp_path / "holes.tif", array)
    stats = raster_statistics(path, DEFAULT_NOMENCLATURE, shapely.box(X0, TOP - 20, X0 + 20, TOP))
    assert stats.nodata_ha == pytest.approx(0.004)
    assert stats.total_ha == pytest.approx(0.036)
    assert _by_name(stats)["Bâtiment"].share == pytest.approx(160 / 360, abs=1e-4)  # 40 rows of 90 valid rows


def test_polygon_outside_the_raster_gives_zero(acceptance_raster):
    far = shapely.box(X0 + 1000, TOP - 1000, X0 + 1010, TOP - 990)
    stats = raster_statistics(acceptance_raster, DEFAULT_NOMENCLATURE, far)
    assert stats.total_ha == 0
    assert all(c.share == 0 for c in stats.classes)


def test_per_tile_function_summed_like_a_dask_map_gives_the_same_counts(tmp_path):
    rng = np.random.default_rng(7)
    path = write_raster(tmp_path / "random.tif", rng.integers(0, 18, (600, 500)), tiled=True)
    polygon = shapely.Point(X0 + 50, TOP - 60).buffer(40)
    windows = plan_windows(500, 600, 256)
    mapped = sum(
        count_tile(str(path), (w.col_off, w.row_off, w.width, w.height), shapely.to_wkb(polygon)) for w in windows
    )
    direct, _ = count_raster(path, polygon, block=512, workers=2)
    np.testing.assert_allclose(mapped, direct)
    # The weighted pixel count is the polygon area in pixels: π × 40² m² / 0.04 m² (buffer is a 64-gon).
    assert mapped.sum() == pytest.approx(polygon.area / 0.04)


def test_per_tile_function_runs_in_separate_processes_like_dask_workers(tmp_path):
    # Spawned processes share nothing with this one (as Dask workers): the function and its
    # arguments travel pickled, each process opens the file itself, only 256-long vectors come back.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    rng = np.random.default_rng(11)
    path = write_raster(tmp_path / "random.tif", rng.integers(0, 18, (600, 500)), tiled=True)
    polygon = shapely.Polygon([(X0 + 5, TOP - 5), (X0 + 95, TOP - 20), (X0 + 40, TOP - 115)])
    # Bounding box: columns 25–475, rows 25–575 → 2 × 3 windows of 256 px; the bottom-right one
    # (x 51.2–95 m, y 102.4–115 m below the top) misses the triangle, whose tip there is at x = 40 m.
    assert tile_tasks(path, polygon, block=256) == [
        (0, 0, 256, 256),
        (256, 0, 219, 256),
        (0, 256, 256, 256),
        (256, 256, 219, 256),
        (0, 512, 256, 63),
    ]
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        mapped, pixel_area = count_raster(path, polygon, block=256, map_tiles=pool.map)
    direct, _ = count_raster(path, polygon, block=256)
    np.testing.assert_allclose(mapped, direct)
    # Weighted pixels = triangle area / pixel area; shoelace with (x, y) offsets (5, −5), (95, −20), (40, −115):
    # ½ |5(−20+115) + 95(−115+5) + 40(−5+20)| = ½ |475 − 10,450 + 600| = 4,687.5 m² → 117,187.5 px of 0.04 m².
    assert mapped.sum() == pytest.approx(117_187.5) and pixel_area == pytest.approx(0.04)


@pytest.mark.parametrize(
    ("group", "area_ha"),
    [
        ("artificialise", 0.03),  # Bâtiment 0.02 + Zone imperméable 0.01
        ("naturel", 0.01),  # Pelouse 0.01
        ("non_classe", 0.0),
    ],
)
def test_groups(acceptance_raster, group, area_ha):
    stats = raster_statistics(acceptance_raster, DEFAULT_NOMENCLATURE)
    assert {g.group: g.area_ha for g in stats.groups}[group] == pytest.approx(area_ha)


def test_summarise_counts_unknown_codes_as_nodata():
    counts = np.zeros(256)
    counts[1] = 100  # 100 px of Bâtiment
    counts[200] = 50  # a code outside the nomenclature is no class
    stats = summarise(counts, 0.04, DEFAULT_NOMENCLATURE)
    assert stats.total_ha == pytest.approx(100 * 0.04 / 10_000)
    assert stats.nodata_ha == pytest.approx(50 * 0.04 / 10_000)


@pytest.mark.parametrize("shape", [(4, 4), (3, 5), (1, 1), (7, 1)])
def test_fast_bincount_matches_numpy_for_even_and_odd_sizes(shape):
    from communs.cosia.engine.stats import _fast_bincount

    values = np.random.default_rng(3).integers(0, 256, shape).astype(np.uint8)
    np.testing.assert_array_equal(_fast_bincount(values), np.bincount(values.ravel(), minlength=256))

"""Exposure by area-weighted intersection of 200 m cells with noise zones."""

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from communs.estimaction.engine.exposure import compute_exposure, resolve_overlaps, select_communes, share_above
from communs.estimaction.engine.grid import PopulationGrid, make_cell_id
from communs.estimaction.engine.noise_zones import build_zones

E0, N0 = 3_762_000, 2_890_000


def grid_of(cells):
    """cells: [(column, row, population)] in 200 m steps from (E0, N0)."""
    east = np.array([E0 + 200 * c for c, _, _ in cells], dtype=float)
    north = np.array([N0 + 200 * r for _, r, _ in cells], dtype=float)
    ids = np.array([make_cell_id(e, n) for e, n in zip(east, north, strict=True)], dtype=object)
    return PopulationGrid(ids, east, north, np.array([p for _, _, p in cells], dtype=float))


def zones_of(*zones, crs="EPSG:3035"):
    """zones: (geometry, indicator, legend[, zone_type])."""
    return build_zones(
        [z[0] for z in zones],
        [z[1] for z in zones],
        [z[2] for z in zones],
        zone_types=[z[3] if len(z) > 3 else "A" for z in zones],
        crs=crs,
    )


def test_half_covered_cell_puts_half_its_people_in_the_band_and_bands_sum_to_the_population():
    # Cell A (100 people) half covered by a 65-70 zone, cell B (50 people) untouched:
    # 65-70 = 100 × 0.5 = 50; "<55" = 150 − 50 = 100; the bands sum to 150.
    grid = grid_of([(0, 0, 100), (1, 0, 50)])
    zones = zones_of((shapely.box(E0, N0, E0 + 100, N0 + 200), "LD", "Lden65"))
    result = compute_exposure(grid, zones)
    assert result.bands["lden"]["65-70"] == pytest.approx(50)
    assert result.bands["lden"]["<55"] == pytest.approx(100)
    assert sum(result.bands["lden"].values()) == pytest.approx(150)
    assert sum(result.bands["lnight"].values()) == pytest.approx(150)  # no Ln zone: all below 50
    assert result.total_population == 150


def test_overlapping_zones_do_not_double_count_and_the_highest_band_wins():
    # Cell of 100 people. Zone 55-60 covers the whole cell; zone 70-75 covers its west half;
    # a second 70-75 zone (another road) covers the west quarter again.
    # Highest band per piece: west half → 70-75 (50 people), east half → 55-60 (50 people); nothing twice.
    grid = grid_of([(0, 0, 100)])
    zones = zones_of(
        (shapely.box(E0 - 50, N0 - 50, E0 + 250, N0 + 250), "LD", "Lden55"),
        (shapely.box(E0, N0, E0 + 100, N0 + 200), "LD", "Lden70"),
        (shapely.box(E0, N0, E0 + 50, N0 + 200), "LD", "Lden70"),
    )
    result = compute_exposure(grid, zones)
    assert result.bands["lden"]["70-75"] == pytest.approx(50)
    assert result.bands["lden"]["55-60"] == pytest.approx(50)
    assert result.bands["lden"]["<55"] == pytest.approx(0, abs=1e-9)
    assert result.overlaps_resolved == 2  # the 55-60 zone and the second 70-75 zone were trimmed


def test_adjacent_bands_touching_are_not_overlaps():
    geometries = np.array([shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)])
    resolved, count = resolve_overlaps(geometries, np.array([0, 1]))
    assert count == 0
    assert shapely.area(resolved).tolist() == [100, 100]


def test_type_c_zones_are_counted_apart():
    # Exceedance zone over the whole 100-person cell, no type A zone: 100 people above the limit value,
    # all still "below 55" in the band table (type C zones are not bands).
    grid = grid_of([(0, 0, 100)])
    zones = zones_of((shapely.box(E0, N0, E0 + 200, N0 + 200), "LD", "", "C"))
    result = compute_exposure(grid, zones)
    assert result.exceedance["lden"] == pytest.approx(100)
    assert result.bands["lden"]["<55"] == pytest.approx(100)


def test_territory_polygon_clips_cells_and_zones_by_area():
    # Territory = west half of cell A (100 people) → 50 people in the territory.
    # A 60-65 zone covers the south half of cell A: inside the territory it is a quarter of the cell,
    # i.e. half of the clipped area → 25 people in 60-65, 25 below.
    grid = grid_of([(0, 0, 100), (1, 0, 50)])
    zones = zones_of((shapely.box(E0, N0, E0 + 200, N0 + 100), "LD", "Lden60"))
    territory = shapely.box(E0, N0, E0 + 100, N0 + 200)
    result = compute_exposure(grid, zones, territory)
    assert result.total_population == pytest.approx(50)
    assert result.bands["lden"]["60-65"] == pytest.approx(25)
    assert result.bands["lden"]["<55"] == pytest.approx(25)


def test_zones_in_lambert93_are_reprojected():
    # The same half-cell zone, given in Lambert-93 (densified so the curved reprojection stays exact
    # to well under a square metre): still 50 people.
    from tests.estimaction.files import to_lambert93

    zone = to_lambert93(shapely.segmentize(shapely.box(E0, N0, E0 + 100, N0 + 200), 5))
    result = compute_exposure(grid_of([(0, 0, 100)]), zones_of((zone, "LD", "Lden65"), crs="EPSG:2154"))
    assert result.bands["lden"]["65-70"] == pytest.approx(50, abs=0.01)


def test_select_communes_splits_shared_cells():
    # lcog_geo: cell 1 in 35238 only (100), cell 2 shared by 35238 and 35281 (50): 35238 gets 100 + 25.
    grid = grid_of([(0, 0, 100), (1, 0, 50)])
    grid.communes = [["35238"], ["35238", "35281"]]
    assert select_communes(grid, {"35238"}).total == pytest.approx(125)
    assert select_communes(grid, {"35281"}).total == pytest.approx(25)


@pytest.mark.parametrize(
    ("threshold", "expected", "lower_bound"),
    [
        # WHO 53 dB: below the first band → all mapped bands (1000+500+100), a lower bound.
        (53, 1600, True),
        # Regulatory 68 dB: 65-70 contributes 500 × (70 − 68)/5 = 200 (linear within the band),
        # ≥75 contributes 100 → 300.
        (68, 300, False),
    ],
)
def test_share_above_threshold(threshold, expected, lower_bound):
    exposure = {"<55": 400, "55-60": 1000, "65-70": 500, ">=75": 100}
    assert share_above(exposure, "lden", threshold) == (pytest.approx(expected), lower_bound)


@settings(max_examples=25, deadline=None)
@given(
    populations=st.lists(st.floats(min_value=0, max_value=5000, allow_nan=False), min_size=1, max_size=6),
    boxes=st.lists(
        st.tuples(
            st.integers(0, 1200), st.integers(0, 400), st.integers(20, 600), st.integers(20, 400), st.integers(0, 4)
        ),
        max_size=6,
    ),
)
def test_population_is_conserved_whatever_the_zones(populations, boxes):
    grid = grid_of([(i, 0, p) for i, p in enumerate(populations)])
    zones = (
        zones_of(
            *[
                (shapely.box(E0 + x, N0 + y, E0 + x + w, N0 + y + h), "LD", f"Lden{55 + 5 * band}")
                for x, y, w, h, band in boxes
            ]
        )
        if boxes
        else zones_of((shapely.box(0, 0, 1, 1), "LD", "Lden55"))
    )
    result = compute_exposure(grid, zones)
    assert sum(result.bands["lden"].values()) == pytest.approx(sum(populations), rel=1e-9, abs=1e-6)
    assert all(value >= 0 for value in result.bands["lden"].values())


def test_rectangle_clipping_gives_the_same_areas_as_general_intersections():
    # Irregular polygons (buffered random walks) against 200 m cells: the shifted rectangle clip and
    # shapely.intersection must agree to well under a square centimetre.
    from communs.estimaction.engine.exposure import _piece_areas

    rng = np.random.default_rng(3)
    walks = np.cumsum(rng.normal(0, 80, (40, 6, 2)), axis=1) + [E0 + 500, N0 + 500]
    zones = shapely.buffer(shapely.linestrings(walks), rng.uniform(10, 120, 40))
    grid = grid_of([(c, r, 1) for c in range(6) for r in range(6)])
    boxes = grid.polygons()
    cell_index, zone_index = shapely.STRtree(zones).query(boxes, predicate="intersects")
    clipped = _piece_areas(zones[zone_index], boxes[cell_index], grid.east[cell_index], grid.north[cell_index], 200)
    general = shapely.area(shapely.intersection(zones[zone_index], boxes[cell_index]))
    assert len(cell_index) > 50
    assert np.abs(clipped - general).max() < 1e-4

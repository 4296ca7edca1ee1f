"""Spill levels and frames on hand-made terrains (issue 17's acceptance cases), no database."""

import math

import numpy as np
import pytest

from communs.inondata.engine.buildings import Building, apply_frames, depth_at_level
from communs.inondata.engine.classes import class_index, depth_class
from communs.inondata.engine.frames import arrival_times, depth_at, durations, frame_stats, max_depths
from communs.inondata.engine.hydrograph import Hydrograph, HydrographError, parse_hydrograph
from communs.inondata.engine.spill import spill_levels


def _seed(z, *cells):
    seeds = np.zeros(z.shape, dtype=bool)
    for cell in cells:
        seeds[cell] = True
    return seeds


def test_ridge_keeps_the_basin_dry_until_the_water_tops_it():
    # river 0 m | ridge 10 m | basin 1 m: the basin's spill level is the ridge's crest, 10 m.
    z = np.array([[0.0, 10.0, 1.0]])
    spill = spill_levels(z, _seed(z, (0, 0)))
    assert spill.tolist() == [[0.0, 10.0, 10.0]]
    assert depth_at(z, spill, 5.0).tolist() == [[5.0, 0.0, 0.0]]  # H = 5: basin dry
    assert depth_at(z, spill, 10.5).tolist() == [[10.5, 0.5, 9.5]]  # H = 10.5: basin 10.5 − 1 = 9.5 m


def test_ramp_depths_and_volume_per_metre_of_width():
    # 1 m cells, heights 0..4, seed at 0; H = 2.5 → depths 2.5, 1.5, 0.5, 0, 0;
    # volume = (2.5 + 1.5 + 0.5) m × 1 m² = 4.5 m³ per metre of width (one row = 1 m wide).
    z = np.array([[0.0, 1.0, 2.0, 3.0, 4.0]])
    spill = spill_levels(z, _seed(z, (0, 0)))
    assert depth_at(z, spill, 2.5).tolist() == [[2.5, 1.5, 0.5, 0.0, 0.0]]
    stats = frame_stats(z, spill, 0, 2.5, cell_area=1.0)
    assert stats.volume_m3 == pytest.approx(4.5)
    assert stats.wet_area_m2 == 3.0 and stats.max_depth_m == 2.5
    # Three rows (3 m of width): 13.5 m³, still 4.5 per metre.
    wide = np.repeat(z, 3, axis=0)
    assert frame_stats(wide, spill_levels(wide, _seed(wide, (0, 0), (1, 0), (2, 0))), 0, 2.5, 1.0).volume_m3 == (
        pytest.approx(13.5)
    )


def test_hydrograph_arrival_maximum_depth_and_duration_by_hand():
    # Levels 0.5, 1.5, 2.5, 1.5 at t = 0, 10, 20, 30 min, linear in between, on the 0..4 ramp.
    z = np.array([[0.0, 1.0, 2.0, 3.0, 4.0]])
    spill = spill_levels(z, _seed(z, (0, 0)))
    hydrograph = Hydrograph((0.0, 10.0, 20.0, 30.0), (0.5, 1.5, 2.5, 1.5))
    arrival = arrival_times(spill, hydrograph)[0]
    # z=0: wet from t=0; z=1: H reaches 1 at 0 + (1 − 0.5)/(1.5 − 0.5) × 10 = 5 min;
    # z=2: at 10 + (2 − 1.5)/(2.5 − 1.5) × 10 = 15 min; z=3, 4: never.
    assert arrival[:3].tolist() == [0.0, 5.0, 15.0]
    assert np.isnan(arrival[3:]).all()
    # Maximum depth: max H = 2.5 → 2.5, 1.5, 0.5, 0, 0.
    assert max_depths(z, spill, hydrograph)[0].tolist() == [2.5, 1.5, 0.5, 0.0, 0.0]
    # Duration: z=0 all 30 min; z=1 from t=5 to the end: 25 min; z=2 from 15 to 25 (H falls back to 2
    # at 20 + (2.5 − 2)/(2.5 − 1.5) × 10 = 25): 10 min; z=3, 4: 0.
    assert durations(spill, hydrograph)[0].tolist() == [30.0, 25.0, 10.0, 0.0, 0.0]


def test_diagonal_gap_floods_only_with_8_connectivity():
    # The low cell (1, 1) touches the river cell (0, 0) only by a corner; walls at 5 m elsewhere.
    z = np.array([[0.0, 5.0, 5.0], [5.0, 1.0, 5.0], [5.0, 5.0, 5.0]])
    seeds = _seed(z, (0, 0))
    assert spill_levels(z, seeds, 4)[1, 1] == 5.0
    assert depth_at(z, spill_levels(z, seeds, 4), 2.0)[1, 1] == 0.0  # stays dry at H = 2
    assert spill_levels(z, seeds, 8)[1, 1] == 1.0
    assert depth_at(z, spill_levels(z, seeds, 8), 2.0)[1, 1] == 1.0  # floods, 2 − 1 = 1 m


def test_cells_without_height_stop_the_water_and_unreachable_cells_stay_dry():
    z = np.array([[0.0, np.nan, 1.0]])
    spill = spill_levels(z, _seed(z, (0, 0)))
    assert spill[0, 0] == 0.0 and math.isinf(spill[0, 1]) and math.isinf(spill[0, 2])
    assert depth_at(z, spill, 100.0)[0, 2] == 0.0


def test_spill_levels_match_a_reference_on_random_terrain():
    # Reference: the minimax path level by repeated relaxation (Bellman–Ford style), small grid.
    rng = np.random.default_rng(3)
    z = rng.random((12, 15)) * 10
    seeds = _seed(z, (0, 0), (11, 14))
    reference = np.where(seeds, z, np.inf)
    while True:
        padded = np.pad(reference, 1, constant_values=np.inf)
        best = np.minimum.reduce([padded[1:-1, :-2], padded[1:-1, 2:], padded[:-2, 1:-1], padded[2:, 1:-1]])
        updated = np.minimum(reference, np.maximum(best, z))
        if np.array_equal(updated, reference):
            break
        reference = updated
    assert np.array_equal(spill_levels(z, seeds, 4), reference)


def test_building_depth_and_class():
    # Floor at 2.0 m, water at 3.5 m reaching it: 1.5 m, class 1–2 m; 2 storeys of 3 m → 1 storey flooded.
    building = Building("b1", None, floor=2.0, height=6.0, storeys=2, dwellings=4, reach=1.0)
    assert depth_at_level(building, 3.5) == 1.5
    assert depth_class(1.5) == "1-2"
    summary = apply_frames([building], [1.5, 3.5])
    assert summary[0]["buildings_affected"] == 0  # 1.5 m: below the floor
    assert summary[1]["buildings"]["1-2"] == 1 and summary[1]["dwellings_affected"] == 4
    assert summary[1]["storeys_flooded"] == 1
    # Not reached (spill around it 10 m): dry whatever the level under 10 m.
    assert depth_at_level(Building("b2", None, 2.0, 6.0, 2, 1, reach=10.0), 3.5) == 0.0


@pytest.mark.parametrize(
    ("depth", "key"),
    [
        (0.0, None),
        (0.1, "0-0.2"),
        (0.2, "0-0.2"),
        (0.3, "0.2-0.5"),
        (0.5, "0.2-0.5"),
        (0.8, "0.5-1"),
        (1.0, "0.5-1"),
        (2.0, "1-2"),
        (2.01, ">2"),
    ],
)
def test_depth_classes_have_inclusive_upper_bounds(depth, key):
    assert depth_class(depth) == key
    assert class_index(np.array([depth]))[0] == (
        0 if key is None else 1 + ["0-0.2", "0.2-0.5", "0.5-1", "1-2", ">2"].index(key)
    )


def test_hydrograph_csv_errors_name_the_line_and_field():
    assert parse_hydrograph("t;level\n0;1,5\n10;2\n").levels == (1.5, 2.0)
    with pytest.raises(HydrographError, match="ligne 3, colonne « level »"):
        parse_hydrograph("t,level\n0,1\n10,abc\n")
    with pytest.raises(HydrographError, match="ligne 3, colonne « t »"):
        parse_hydrograph("t,level\n10,1\n5,2\n")
    with pytest.raises(HydrographError, match="non finie"):
        parse_hydrograph("t,level\n0,nan\n")
    with pytest.raises(HydrographError, match="colonnes"):
        parse_hydrograph("time,h\n0,1\n")

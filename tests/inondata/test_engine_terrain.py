"""Terrain from a LiDAR HD-like LAZ written with laspy (LAS 1.4, point format 6, classes 1, 2, 9, 17, 66)."""

import numpy as np
import pytest

from communs.inondata.engine.terrain import TerrainError, dtm_from_laz, read_dtm, write_dtm

X0, Y1 = 700_000.0, 6_600_004.0  # top-left corner of the 4 × 4 m test area, Lambert-93


def write_laz(path, points):
    import laspy

    header = laspy.LasHeader(point_format=6, version="1.4")
    header.scales = np.array([0.01, 0.01, 0.01])
    header.offsets = np.array([X0, Y1 - 4, 0.0])
    las = laspy.LasData(header)
    array = np.array(points)
    las.x, las.y, las.z = array[:, 0], array[:, 1], array[:, 2]
    las.classification = array[:, 3].astype(np.uint8)
    las.write(path)
    return path


def centre(row, col, dx=0.0):
    return X0 + col + 0.5 + dx, Y1 - row - 0.5


def fixture_points():
    """Column 1 is the river (water, class 9, at 8.0 m) under a bridge deck (class 17, 15 m) on rows 1–2;
    other cells hold two ground points (class 2) at 10 + col ± 0.1 m, except (3, 3) which has only a
    virtual point (class 66, 9.5 m) and (0, 3) which has none; vegetation (class 1, 30 m) everywhere."""
    points = []
    for row in range(4):
        for col in range(4):
            x, y = centre(row, col)
            points.append((x + 0.2, y, 30.0, 1))
            if col == 1:
                points.append((x, y, 8.0, 9))
                if row in (1, 2):
                    points.append((x - 0.2, y, 15.0, 17))
            elif (row, col) == (3, 3):
                points.append((x, y, 9.5, 66))
            elif (row, col) != (0, 3):
                points.append((x - 0.3, y, 10.0 + col - 0.1, 2))
                points.append((x + 0.3, y, 10.0 + col + 0.1, 2))
    return points


def test_laz_gives_the_expected_terrain_without_bridge_decks(tmp_path):
    path = write_laz(tmp_path / "dalle.laz", fixture_points())
    assert path.read_bytes()[:4] == b"LASF"
    terrain = dtm_from_laz([tmp_path], resolution=1.0)
    assert terrain.shape == (4, 4) and terrain.origin == (X0, Y1)
    expected = np.array(
        [
            [10.0, 8.0, 12.0, np.nan],  # (0, 3) filled: mean of 12, 12, 13 → 12.333
            [10.0, 8.0, 12.0, 13.0],  # bridge deck at 15 m left out: the river stays at 8 m
            [10.0, 8.0, 12.0, 13.0],
            [10.0, 8.0, 12.0, 9.5],  # virtual point used where no ground point fell
        ]
    )
    expected[0, 3] = (12.0 + 12.0 + 13.0) / 3
    np.testing.assert_allclose(terrain.z, expected, atol=1e-6)
    assert terrain.filled.sum() == 1 and terrain.filled[0, 3]
    assert terrain.water[:, 1].all() and terrain.water.sum() == 4
    # Ground: 16 cells − 4 river − (3, 3) − (0, 3) = 10 cells × 2 points = 20;
    # 16 vegetation + 20 ground + 4 water + 2 deck + 1 virtual = 43 points.
    assert terrain.classes == {"1": 16, "2": 20, "9": 4, "17": 2, "66": 1}
    assert terrain.points == 43


def test_dtm_round_trips_through_a_cog(tmp_path):
    terrain = dtm_from_laz([write_laz(tmp_path / "a.laz", fixture_points())], resolution=1.0)
    back = read_dtm(write_dtm(terrain, tmp_path / "mnt.tif"))
    np.testing.assert_allclose(back.z, terrain.z, atol=1e-4)
    assert back.origin == terrain.origin and back.resolution == 1.0


def test_bad_resolution_and_missing_file_are_named(tmp_path):
    with pytest.raises(TerrainError, match="résolution"):
        dtm_from_laz([tmp_path], resolution=5.0)
    with pytest.raises(TerrainError, match="introuvable"):
        dtm_from_laz([tmp_path / "absent.laz"], resolution=1.0)

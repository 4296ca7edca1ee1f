"""The seeded synthetic town: deterministic, realistic class mix, later vintage builds more."""

import numpy as np
import rasterio

from communs.cosia.engine.geometry import read_territory
from communs.cosia.engine.synthetic import Town, demo_dataset, town_window


def test_same_seed_same_pixels_whatever_the_window():
    town = Town(seed=5, width=400, height=400)
    whole = town_window(town, 0, 0, 400, 400)
    quarter = town_window(town, 200, 200, 200, 200)
    np.testing.assert_array_equal(whole[200:, 200:], quarter)


def test_the_town_has_streets_buildings_fields_forest_and_water():
    data = town_window(Town(seed=5, width=1200, height=1200), 0, 0, 1200, 1200)
    present = set(np.unique(data).tolist())
    assert {1, 2, 7, 10, 14} <= present  # Bâtiment, Zone imperméable, Surface eau, Feuillu, Culture
    assert present <= set(range(1, 18))  # no nodata, no foreign code


def test_demo_dataset(tmp_path):
    result = demo_dataset(tmp_path, size=600)
    with rasterio.open(result["rasters"]["2021"]) as old, rasterio.open(result["rasters"]["2024"]) as new:
        assert old.crs.to_epsg() == 2154 and old.res == (0.2, 0.2)
        built_before = np.count_nonzero(old.read(1) == 1)
        built_after = np.count_nonzero(new.read(1) == 1)
    assert built_after > built_before  # the 2024 vintage has the new housing estate
    territory = read_territory(result["territory"])
    assert abs(territory.area / 10_000 - result["territory_ha"]) < 1e-3

"""The whole scenario on the seeded demo valley: tiles (loop and Dask), outputs, buildings, limits."""

import json

import numpy as np
import pytest

from communs.inondata.engine import buildings as bati
from communs.inondata.engine import seeds as seeding
from communs.inondata.engine import synthetic
from communs.inondata.engine.frames import depth_at
from communs.inondata.engine.hydrograph import parse_hydrograph
from communs.inondata.engine.limits import LIMITS_EN, LIMITS_FR
from communs.inondata.engine.scenario import run_flood
from communs.inondata.engine.spill import spill_levels
from communs.inondata.engine.terrain import read_dtm
from communs.inondata.engine.tiling import run_tiles


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    paths = synthetic.demo_files(tmp_path_factory.mktemp("demo"))
    terrain = read_dtm(paths["dem"])
    seeds = seeding.rasterize_seeds(seeding.read_seed_geometries(paths["seeds"]), terrain)
    return paths, terrain, seeds, parse_hydrograph(paths["levels"].read_text())


def test_tiles_with_halos_sum_to_the_whole_grid(demo):
    _, terrain, seeds, hydrograph = demo
    spill = spill_levels(terrain.z, seeds)
    tiled = run_tiles(terrain.z, spill, hydrograph, terrain.cell_area, tile=37)
    for k, level in enumerate(hydrograph.levels):
        whole = depth_at(terrain.z, spill, level)
        np.testing.assert_array_equal(tiled["depths"][k], whole)
        assert tiled["volume_m3"][k] == pytest.approx(whole.sum(dtype=np.float64) * terrain.cell_area)


def test_the_per_tile_function_runs_on_a_local_dask_cluster(demo):
    from distributed import Client, LocalCluster

    _, terrain, seeds, hydrograph = demo
    spill = spill_levels(terrain.z, seeds)
    local = run_tiles(terrain.z, spill, hydrograph, terrain.cell_area, tile=64)
    with (
        LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        on_dask = run_tiles(
            terrain.z,
            spill,
            hydrograph,
            terrain.cell_area,
            tile=64,
            mapper=lambda fn, tasks: client.gather(client.map(fn, list(tasks))),
        )
    np.testing.assert_array_equal(on_dask["depths"], local["depths"])
    np.testing.assert_array_equal(on_dask["volume_m3"], local["volume_m3"])


def test_the_levee_holds_then_the_basin_fills_around_its_ends(demo):
    _, terrain, seeds, _ = demo
    spill = spill_levels(terrain.z, seeds)
    basin = (60, 65)  # row 60, col 65 ≈ y 121 m, x 131 m: the basin's centre, ≈ 11.5 m
    assert terrain.z[basin] < 12.0
    assert 14.4 < spill[basin] < 15.0  # reached over the levee's ends (14.5 m), not its crest (15.5 m)


def test_outputs_state_the_limits_and_match_the_summary(demo, tmp_path):
    import pyogrio
    import rasterio

    paths, terrain, seeds, hydrograph = demo
    summary = run_flood(terrain, seeds, hydrograph, tmp_path, buildings=bati.read_buildings(paths["buildings"]))
    assert [f["level"] for f in summary["frames"]] == list(hydrograph.levels)
    with rasterio.open(summary["outputs"]["depths"]) as cog:
        assert cog.count == len(hydrograph) and cog.crs.to_epsg() == 2154
        assert cog.tags()["LIMITS"] == LIMITS_EN
        assert cog.read(5).max() == pytest.approx(summary["frames"][4]["max_depth_m"], abs=1e-3)
    assert (tmp_path / "batiments.csv").read_text(encoding="utf-8").startswith(f"# {LIMITS_FR}")
    info = pyogrio.read_info(tmp_path / "batiments.gpkg")
    assert info["features"] == summary["buildings_total"] > 0
    written = json.loads((tmp_path / "resume.json").read_text(encoding="utf-8"))
    assert written["limits"]["fr"] == LIMITS_FR
    peak = summary["frames"][4]
    assert sum(peak["buildings"].values()) == peak["buildings_affected"] > 0
    assert summary["frames"][0]["buildings_affected"] == 0  # at 12 m the village is dry

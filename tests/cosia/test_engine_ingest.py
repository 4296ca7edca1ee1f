"""Ingestion into COGs: mode overviews, embedded colour table, idempotence, refusal of foreign codes."""

import numpy as np
import pytest
import rasterio

from communs.cosia.engine.ingest import build_mosaic, ingest_raster
from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE
from communs.cosia.engine.stats import RasterError
from tests.cosia.rasters import ORIGIN, write_raster


@pytest.fixture
def checkerboard(tmp_path):
    # Alternating Bâtiment (1) and Sol nu (6) pixels, with a few more Bâtiment: an average
    # overview would produce 3 or 4 (Zone perméable, Piscine), classes that are not there.
    array = np.where((np.add.outer(np.arange(1024), np.arange(1024)) % 2) == 0, 1, 6).astype(np.uint8)
    array[:, :100] = 1
    array[1000:, :] = 0  # a nodata strip
    return write_raster(tmp_path / "source.tif", array)


def test_ingest_writes_a_cog_with_mode_overviews_and_colour_table(checkerboard, tmp_path):
    result = ingest_raster(checkerboard, tmp_path / "cogs", DEFAULT_NOMENCLATURE)
    assert result.created
    assert result.overview_levels  # 1024 px → at least one 512-px level
    with rasterio.open(result.path) as cog:
        assert cog.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert cog.crs.to_epsg() == 2154
        assert cog.nodata == 0
        assert cog.colormap(1)[1] == (206, 112, 121, 255)  # Bâtiment #ce7079
        assert cog.colormap(1)[16] == (176, 130, 144, 255)  # Vigne #b08290
        for level in range(len(result.overview_levels)):
            factor = result.overview_levels[level]
            overview = cog.read(1, out_shape=(cog.height // factor, cog.width // factor))
            assert set(np.unique(overview)) <= {0, 1, 6}, f"overview ×{factor} invents classes"


def test_ingest_is_idempotent(checkerboard, tmp_path):
    first = ingest_raster(checkerboard, tmp_path / "cogs", DEFAULT_NOMENCLATURE)
    second = ingest_raster(checkerboard, tmp_path / "cogs", DEFAULT_NOMENCLATURE)
    assert (first.path, first.sha256) == (second.path, second.sha256)
    assert not second.created
    assert len(list((tmp_path / "cogs").iterdir())) == 1


def test_ingest_refuses_codes_outside_the_nomenclature(tmp_path):
    array = np.full((64, 64), 14, dtype=np.uint8)
    array[0, 0] = 42
    source = write_raster(tmp_path / "bad.tif", array)
    with pytest.raises(RasterError, match=r"bad\.tif.*42"):
        ingest_raster(source, tmp_path / "cogs", DEFAULT_NOMENCLATURE)
    assert not (tmp_path / "cogs").exists() or not list((tmp_path / "cogs").glob("*.tif"))


def test_ingest_refuses_a_non_uint8_raster(tmp_path):
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": 1,
        "height": 8,
        "width": 8,
        "crs": "EPSG:2154",
        "transform": rasterio.Affine(0.2, 0, ORIGIN[0], 0, -0.2, ORIGIN[1]),
    }
    with rasterio.open(tmp_path / "float.tif", "w", **profile) as out:
        out.write(np.zeros((8, 8), dtype=np.float32), 1)
    with pytest.raises(RasterError, match="uint8"):
        ingest_raster(tmp_path / "float.tif", tmp_path / "cogs", DEFAULT_NOMENCLATURE)


def test_mosaic_of_two_adjacent_tiles(tmp_path):
    west = write_raster(tmp_path / "w.tif", np.full((50, 50), 1))
    # The east tile starts 10 m (50 px) further east.
    east = write_raster(tmp_path / "e.tif", np.full((50, 50), 16), origin=(ORIGIN[0] + 10, ORIGIN[1]))
    cogs = [ingest_raster(p, tmp_path / "cogs", DEFAULT_NOMENCLATURE).path for p in (west, east)]
    vrt = build_mosaic(cogs, tmp_path / "mosaic.vrt")
    with rasterio.open(vrt) as mosaic:
        assert (mosaic.width, mosaic.height) == (100, 50)
        data = mosaic.read(1)
        assert (data[:, :50] == 1).all() and (data[:, 50:] == 16).all()
        assert mosaic.colormap(1)[16] == (176, 130, 144, 255)

"""XYZ tiles: official colours, transparent nodata, hidden classes, cache."""

import warnings

import numpy as np
import pytest
from morecantile import tms as tile_matrix_sets
from pyproj import Transformer
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile

from communs.cosia.engine.ingest import ingest_raster
from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE
from communs.cosia.engine.tiles import TileCache, empty_tile, render_tile
from tests.cosia.rasters import ORIGIN, write_raster

BATIMENT_RGB = (206, 112, 121)  # #ce7079 = (0xce, 0x70, 0x79)
VIGNE_RGB = (176, 130, 144)  # #b08290 = (0xb0, 0x82, 0x90)
WEB_MERCATOR = tile_matrix_sets.get("WebMercatorQuad")


def _rgba(png: bytes) -> np.ndarray:
    with warnings.catch_warnings(), MemoryFile(png) as memory:
        warnings.simplefilter("ignore", NotGeoreferencedWarning)  # a PNG tile has no geotransform
        image = memory.open()
        assert image.count == 4
        return image.read()  # (4, 256, 256)


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    rgba = _rgba(png)
    opaque = rgba[3] == 255
    return {tuple(int(v) for v in rgba[:3, r, c]) for r, c in zip(*np.nonzero(opaque), strict=True)}


@pytest.fixture
def blocks_cog(tmp_path):
    # 500 × 500 px (100 m): left half Bâtiment (1), right half Vigne (16).
    array = np.full((500, 500), 1, dtype=np.uint8)
    array[:, 250:] = 16
    source = write_raster(tmp_path / "blocks.tif", array)
    return ingest_raster(source, tmp_path / "cogs", DEFAULT_NOMENCLATURE).path


def _tile_over_centre(zoom: int):
    lon, lat = Transformer.from_crs(2154, 4326, always_xy=True).transform(ORIGIN[0] + 50, ORIGIN[1] - 50)
    return WEB_MERCATOR.tile(lon, lat, zoom)


@pytest.mark.parametrize("zoom", [15, 17, 19])
def test_tile_has_official_colours_and_transparent_nodata(blocks_cog, zoom):
    tile = _tile_over_centre(zoom)
    png = render_tile(blocks_cog, tile.z, tile.x, tile.y, DEFAULT_NOMENCLATURE)
    assert png.startswith(b"\x89PNG")
    colours = _colours(png)
    assert colours == {BATIMENT_RGB, VIGNE_RGB}  # nothing blended in between
    if zoom <= 17:  # a z17 tile (~200 m at 45° N) is wider than the 100 m raster: the rest is nodata
        assert (_rgba(png)[3] == 0).any()


def test_hidden_class_is_transparent(blocks_cog):
    tile = _tile_over_centre(16)
    png = render_tile(blocks_cog, tile.z, tile.x, tile.y, DEFAULT_NOMENCLATURE, hidden=frozenset({1}))
    assert _colours(png) == {VIGNE_RGB}


def test_tile_outside_the_coverage_is_empty(blocks_cog):
    png = render_tile(blocks_cog, 16, 0, 0, DEFAULT_NOMENCLATURE)
    assert png == empty_tile()
    assert (_rgba(png)[3] == 0).all()


def test_cache_returns_the_same_bytes(blocks_cog, tmp_path):
    cache = TileCache(tmp_path / "tiles")
    tile = _tile_over_centre(17)
    first, hit_first = cache.get_or_render(blocks_cog, tile.z, tile.x, tile.y, DEFAULT_NOMENCLATURE)
    second, hit_second = cache.get_or_render(blocks_cog, tile.z, tile.x, tile.y, DEFAULT_NOMENCLATURE)
    assert (hit_first, hit_second) == (False, True)
    assert first == second
    hidden, hit_hidden = cache.get_or_render(blocks_cog, tile.z, tile.x, tile.y, DEFAULT_NOMENCLATURE, frozenset({16}))
    assert not hit_hidden and hidden != first  # hidden classes are another cache entry

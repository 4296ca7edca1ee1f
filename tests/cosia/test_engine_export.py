"""Clip and export: the triangle acceptance case in GeoTIFF and GeoPackage, Shapefile zip, metadata."""

import json
import zipfile

import numpy as np
import pyogrio.raw
import pytest
import rasterio
import shapely

from communs.cosia.engine.export import clip_raster, export_bundle, write_vector
from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE
from tests.cosia.rasters import triangle, write_raster

CULTURE = 14


@pytest.fixture
def culture(tmp_path):
    # 1000 × 1000 px at 0.2 m = 200 m × 200 m of Culture.
    return write_raster(tmp_path / "culture.tif", np.full((1000, 1000), CULTURE), tiled=True)


def test_triangle_clip_geotiff(culture, tmp_path):
    result = clip_raster(culture, triangle(), tmp_path / "clip.tif", DEFAULT_NOMENCLATURE)
    with rasterio.open(result.path) as clip:
        data = clip.read(1)
        assert clip.crs.to_epsg() == 2154
        assert clip.res == pytest.approx((0.2, 0.2))
        assert clip.nodata == 0
        assert clip.colormap(1)[CULTURE] == (222, 207, 85, 255)  # #decf55
        # Area: Culture pixels × 0.04 m² / 10,000 = 2.00 ha ± 0.01 (triangle 200 × 200 / 2 = 20,000 m²;
        # the pixel-centre rule on the hypotenuse moves at most 1000 half-pixels = 20 m² = 0.002 ha).
        assert np.count_nonzero(data == CULTURE) * 0.04 / 10_000 == pytest.approx(2.0, abs=0.01)
        assert set(np.unique(data)) == {0, CULTURE}
        assert data[0, -1] == 0  # top-right corner is outside the triangle: nodata
        assert data[-1, 0] == CULTURE  # bottom-left corner is inside


def test_triangle_clip_geopackage(culture, tmp_path):
    clip = clip_raster(culture, triangle(), tmp_path / "clip.tif", DEFAULT_NOMENCLATURE)
    count = write_vector(clip.path, tmp_path / "clip.gpkg", DEFAULT_NOMENCLATURE)
    meta, _, geometry, fields = pyogrio.raw.read(tmp_path / "clip.gpkg")
    assert count == len(geometry) >= 1
    assert pyogrio.read_info(tmp_path / "clip.gpkg")["crs"] == "EPSG:2154"
    assert list(meta["fields"]) == ["code", "classe"]
    assert set(fields[0]) == {CULTURE} and set(fields[1]) == {"Culture"}
    area_ha = shapely.area(shapely.from_wkb(geometry)).sum() / 10_000
    assert area_ha == pytest.approx(2.0, abs=0.01)  # same 20,000 m² as the GeoTIFF


def test_vector_minimum_area_drops_small_patches(tmp_path):
    array = np.full((100, 100), 13, dtype=np.uint8)
    array[10:12, 10:12] = 1  # a 2 × 2 px building = 0.16 m²
    raster = write_raster(tmp_path / "r.tif", array)
    assert write_vector(raster, tmp_path / "all.gpkg", DEFAULT_NOMENCLATURE) == 2
    assert write_vector(raster, tmp_path / "big.gpkg", DEFAULT_NOMENCLATURE, min_area_m2=1.0) == 1


@pytest.mark.parametrize(
    ("fmt", "members"),
    [
        ("geotiff", {"cosia.tif", "metadata.json"}),
        ("gpkg", {"cosia.gpkg", "metadata.json"}),
        ("shp", {"cosia.shp", "cosia.shx", "cosia.dbf", "cosia.prj", "cosia.cpg", "metadata.json"}),
    ],
)
def test_export_bundle(culture, tmp_path, fmt, members):
    summary = export_bundle(
        culture,
        triangle(),
        tmp_path / f"out-{fmt}.zip",
        DEFAULT_NOMENCLATURE,
        fmt=fmt,
        vintage=2024,
        territory="Triangle",
    )
    with zipfile.ZipFile(summary["path"]) as archive:
        assert set(archive.namelist()) == members
        meta = json.loads(archive.read("metadata.json"))
    assert meta["vintage"] == 2024
    assert meta["crs"] == "EPSG:2154"
    assert meta["licence"].startswith("Licence Ouverte")
    assert meta["nomenclature"]["classes"][0]["name"] == "Bâtiment"
    assert meta["source"] == "culture.tif"


def test_clip_outside_the_raster_is_refused(culture, tmp_path):
    far = shapely.box(0, 0, 10, 10)
    with pytest.raises(ValueError, match="ne recoupe pas"):
        clip_raster(culture, far, tmp_path / "clip.tif", DEFAULT_NOMENCLATURE)

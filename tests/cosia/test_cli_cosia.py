"""`communs cosia stats | clip | compare | demo-data | ingest` (in-process with call_command)."""

import json

import numpy as np
import pytest
import rasterio
from django.core.management import call_command

from communs.cosia.engine.geometry import geometry_to_geojson
from communs.cosia.models import Coverage
from tests.cosia.rasters import acceptance_array, triangle, write_raster


def _run(capsys, *args):
    call_command("cosia", *args)
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def triangle_geojson(tmp_path):
    path = tmp_path / "triangle.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": geometry_to_geojson(triangle())}))
    return path


def test_stats_json_lists_every_class(capsys, tmp_path):
    raster = write_raster(tmp_path / "a.tif", acceptance_array())
    body = _run(capsys, "stats", str(raster), "--json")
    by_name = {row["name"]: row for row in body["classes"]}
    assert len(body["classes"]) == 17
    assert set(body["classes"][0]) >= {"code", "name", "area_ha", "share"}
    # 5,000 px × 0.04 m² = 0.0200 ha (50 %); 2,500 px = 0.0100 ha (25 %) twice.
    assert (by_name["Bâtiment"]["area_ha"], by_name["Bâtiment"]["share"]) == (0.02, 0.5)
    assert (by_name["Pelouse"]["area_ha"], by_name["Pelouse"]["share"]) == (0.01, 0.25)
    assert (by_name["Zone imperméable"]["area_ha"], by_name["Zone imperméable"]["share"]) == (0.01, 0.25)
    assert by_name["Vigne"]["area_ha"] == 0
    assert body["total_ha"] == 0.04


def test_stats_with_a_territory(capsys, tmp_path, triangle_geojson):
    raster = write_raster(tmp_path / "c.tif", np.full((1000, 1000), 14), tiled=True)
    body = _run(capsys, "stats", str(raster), "--territory", str(triangle_geojson), "--json")
    # Triangle 200 m × 200 m / 2 = 20,000 m² = 2 ha (the WGS 84 round trip moves it by < 1 mm).
    assert body["total_ha"] == pytest.approx(2.0, abs=1e-3)


def test_stats_in_worker_processes_gives_the_same_area(capsys, tmp_path, triangle_geojson):
    raster = write_raster(tmp_path / "d.tif", np.full((1000, 1000), 14), tiled=True)
    body = _run(capsys, "stats", str(raster), "--territory", str(triangle_geojson), "--processes", "1", "--json")
    assert body["total_ha"] == pytest.approx(2.0, abs=1e-3)  # the same 200 m triangle: 20,000 m² = 2 ha


def test_clip_writes_geotiff_and_geopackage(capsys, tmp_path, triangle_geojson):
    raster = write_raster(tmp_path / "c.tif", np.full((1000, 1000), 14), tiled=True)
    out, vector = tmp_path / "clip.tif", tmp_path / "clip.gpkg"
    body = _run(
        capsys,
        "clip",
        str(raster),
        "--territory",
        str(triangle_geojson),
        "--out",
        str(out),
        "--vector",
        str(vector),
        "--json",
    )
    assert body["crs"] == "EPSG:2154" and body["features"] == 1
    with rasterio.open(out) as clip:
        assert np.count_nonzero(clip.read(1) == 14) * 0.04 / 10_000 == pytest.approx(2.0, abs=0.01)


def test_compare(capsys, tmp_path):
    before = write_raster(tmp_path / "b.tif", np.full((100, 100), 14))
    after_array = np.full((100, 100), 14)
    after_array[:25] = 1  # 2,500 px × 0.04 m² = 0.01 ha of Culture → Bâtiment
    after = write_raster(tmp_path / "a.tif", after_array)
    body = _run(capsys, "compare", str(before), str(after), "--json")
    assert body["changes"] == [{"from": "Culture", "from_code": 14, "to": "Bâtiment", "to_code": 1, "area_ha": 0.01}]
    assert body["unchanged_ha"] == 0.03


def test_demo_data(capsys, tmp_path):
    body = _run(capsys, "demo-data", "--out", str(tmp_path), "--size", "300", "--json")
    assert set(body["rasters"]) == {"2021", "2024"}
    assert (tmp_path / "commune-demo.geojson").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stats", "absent.tif"], "absent.tif"),
        (["stats", "{raster}", "--territory", "{bad}"], "JSON invalide"),
        (["stats", "{raster}", "--nomenclature", "{bad}"], "illisible"),
    ],
)
def test_errors_name_the_file_and_exit_non_zero(capsys, tmp_path, args, message):
    raster = write_raster(tmp_path / "a.tif", acceptance_array())
    bad = tmp_path / "bad.geojson"
    bad.write_text("{oops")
    with pytest.raises(SystemExit) as exit_info:
        call_command("cosia", *[a.format(raster=raster, bad=bad) for a in args])
    assert exit_info.value.code != 0
    assert message in " ".join(capsys.readouterr().err.split())  # rich wraps long lines


def test_ingest_is_idempotent(capsys, departement_35, cosia_data, demo_files):
    raster = demo_files["rasters"]["2024"]
    first = _run(capsys, "ingest", raster, "--department", "35", "--vintage", "2024", "--json")
    second = _run(capsys, "ingest", raster, "--department", "35", "--vintage", "2024", "--json")
    assert (first["created"], second["created"], second["unchanged"]) == (1, 0, 1)
    assert Coverage.objects.count() == 1
    assert (cosia_data / "mosaics" / "cosia-2024.vrt").exists()


def test_ingest_unknown_department(capsys, departement_35, cosia_data, demo_files):
    with pytest.raises(SystemExit):
        call_command("cosia", "ingest", demo_files["rasters"]["2024"], "--department", "999", "--vintage", "2024")
    assert "999" in capsys.readouterr().err
    assert not Coverage.objects.exists()

"""`communs inondata dtm | flood --json`: the issue's JSON keys, and located errors."""

import json

import pytest
from django.core.management import call_command

from communs.inondata.engine import synthetic
from tests.inondata.test_engine_terrain import fixture_points, write_laz


def _run(capsys, *args):
    call_command("inondata", *args)
    return json.loads(capsys.readouterr().out)


def test_dtm_json_keys(capsys, tmp_path):
    write_laz(tmp_path / "dalle.laz", fixture_points())
    body = _run(capsys, "dtm", str(tmp_path), "--resolution", "1.0", "--out", str(tmp_path / "mnt.tif"), "--json")
    assert set(body) == {"width", "height", "resolution", "points", "classes", "filled_cells"}
    assert (body["width"], body["height"], body["filled_cells"], body["points"]) == (4, 4, 1, 43)
    assert body["classes"]["17"] == 2 and (tmp_path / "mnt.tif").exists()


def test_flood_json_keys_and_outputs(capsys, tmp_path):
    paths = synthetic.demo_files(tmp_path / "in")
    body = _run(
        capsys,
        "flood",
        "--dem",
        str(paths["dem"]),
        "--seeds",
        str(paths["seeds"]),
        "--levels",
        str(paths["levels"]),
        "--buildings",
        str(paths["buildings"]),
        "--connectivity",
        "8",
        "--out",
        str(tmp_path / "out"),
        "--json",
    )
    assert {"frames", "outputs"} <= set(body)
    frame = body["frames"][4]
    assert set(frame) == {"t", "level", "wet_area_m2", "volume_m3", "max_depth_m", "buildings"}
    assert set(frame["buildings"]) == {"0-0.2", "0.2-0.5", "0.5-1", "1-2", ">2"}
    assert (frame["t"], frame["level"]) == (240.0, 15.6)
    assert all((tmp_path / "out" / name).exists() for name in ("profondeurs.tif", "batiments.gpkg", "resume.json"))


def test_seeds_in_wgs84_are_reprojected(capsys, tmp_path):
    import pyproj

    paths = synthetic.demo_files(tmp_path / "in")
    to_wgs84 = pyproj.Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
    x, y = synthetic.ORIGIN[0] + synthetic.RIVER_X, synthetic.ORIGIN[1] - 120
    lon, lat = to_wgs84.transform(x, y)
    seeds = tmp_path / "point.geojson"
    seeds.write_text(json.dumps({"type": "Point", "coordinates": [lon, lat]}))
    body = _run(
        capsys,
        "flood",
        "--dem",
        str(paths["dem"]),
        "--seeds",
        str(seeds),
        "--levels",
        str(paths["levels"]),
        "--out",
        str(tmp_path / "out"),
        "--json",
    )
    assert body["frames"][0]["wet_area_m2"] > 0


@pytest.mark.parametrize(
    ("content", "message"),
    [("t,level\n0,12\n0,13\n", "ligne 3"), ("t,niveau\n0,1\n", "colonnes")],
)
def test_bad_levels_exit_non_zero_naming_the_file(capsys, tmp_path, content, message):
    paths = synthetic.demo_files(tmp_path / "in")
    levels = tmp_path / "niveaux.csv"
    levels.write_text(content)
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "inondata",
            "flood",
            "--dem",
            str(paths["dem"]),
            "--seeds",
            str(paths["seeds"]),
            "--levels",
            str(levels),
            "--out",
            str(tmp_path / "out"),
            "--json",
        )
    assert exit_info.value.code == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "niveaux.csv" in err and message in err

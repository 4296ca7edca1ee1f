"""`communs estimaction exposure | impacts | import | compute` (called in-process with call_command)."""

import json

import pytest
from django.core.management import call_command

from tests.estimaction import files


def run(capsys, *args):
    call_command("estimaction", *args)
    return json.loads(capsys.readouterr().out)


def test_exposure_json_from_real_format_files(tmp_path, capsys):
    # Grid 100/50/30 people; Lden 65-70 on half of the 100-person cell → 50; Ln 55-60 on the 50-person cell.
    body = run(
        capsys,
        "exposure",
        "--population",
        str(files.write_grid_csv(tmp_path / "grid.csv")),
        "--noise",
        str(files.write_noise_file(tmp_path / "cbs.gpkg")),
        "--json",
    )
    assert body["lden"]["65-70"] == pytest.approx(50, abs=0.01)
    assert body["lden"]["<55"] == pytest.approx(130, abs=0.01)  # 180 − 50
    assert body["lnight"]["55-60"] == pytest.approx(50, abs=0.01)
    assert list(body["lden"]) == ["<55", "55-60", "60-65", "65-70", "70-75", ">=75"]
    assert body["total_population"] == 180


def test_exposure_with_a_road_map_and_a_rail_map(tmp_path, capsys):
    # Road: Lden 65-70 on half of the 100-person cell → 50. Rail: Lden 65-70 on the whole of it → 100,
    # Ln 60-65 on the 50-person cell. All sources: the road's half is inside the rail zone → 100, not 150.
    body = run(
        capsys,
        "exposure",
        "--population",
        str(files.write_grid_csv(tmp_path / "grid.csv")),
        "--noise",
        str(files.write_noise_file(tmp_path / "cbs.gpkg")),
        "--noise",
        str(files.write_rail_file(tmp_path / "cbs_fer.gpkg")),
        "--json",
    )
    assert body["sources"]["road"]["lden"]["65-70"] == pytest.approx(50, abs=0.01)
    assert body["sources"]["rail"]["lden"]["65-70"] == pytest.approx(100, abs=0.01)
    assert body["sources"]["rail"]["lnight"]["60-65"] == pytest.approx(50, abs=0.01)
    assert body["lden"]["65-70"] == pytest.approx(100, abs=0.01)
    assert body["total_population"] == 180


def test_exposure_with_a_geojson_territory(tmp_path, capsys):
    # Territory: the first cell only (in longitude/latitude) → 100 people, 50 of them in 65-70.
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)
    ring = [to_wgs84.transform(x, y) for x, y in files.densified_cell_ring(0)]
    territory = tmp_path / "territory.geojson"
    territory.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    body = run(
        capsys,
        "exposure",
        "--population",
        str(files.write_grid_csv(tmp_path / "grid.csv")),
        "--noise",
        str(files.write_noise_file(tmp_path / "cbs.gpkg")),
        "--territory",
        str(territory),
        "--json",
    )
    assert body["total_population"] == pytest.approx(100, abs=0.05)
    assert body["lden"]["65-70"] == pytest.approx(50, abs=0.05)


def test_exposure_bad_file_exits_1_naming_the_file(tmp_path, capsys):
    bad = tmp_path / "grid.csv"
    bad.write_text("idcar_200m,population\nX,1\n")
    with pytest.raises(SystemExit) as exit_info:
        call_command("estimaction", "exposure", "--population", str(bad), "--noise", str(bad))
    assert exit_info.value.code == 1
    assert "grid.csv" in capsys.readouterr().err


def test_impacts_json_matches_the_acceptance_figures(tmp_path, capsys):
    exposure = tmp_path / "exposure.csv"
    exposure.write_text(
        "indicator,band,population\n"
        "lden,<55,0\nlden,55-60,4000\nlden,60-65,3000\nlden,65-70,2000\nlden,70-75,800\nlden,>=75,200\n"
    )
    air = tmp_path / "air.csv"
    air.write_text("pollutant,concentration,population,baseline_death_rate\npm25,12,6000,0.01\n")
    body = run(capsys, "impacts", "--exposure", str(exposure), "--air", str(air), "--ihd-incidence", "300", "--json")
    # HA: 512.770 + 532.7475 + 488.145 + 262.130 + 85.6705 = 1,881.46 (see test_engine_noise_impacts)
    assert body["noise"]["highly_annoyed"] == pytest.approx(1881.46, abs=0.01)
    # IHD: PAF 0.071984 × 300/100,000 × 10,000 = 2.16 cases/yr
    assert body["noise"]["ihd_attributable_cases"] == pytest.approx(2.16, abs=0.005)
    # DALY: 1,881.46 × 0.02 = 37.63 (no Lnight band given: no HSD)
    assert body["noise"]["daly"] == pytest.approx(37.63, abs=0.01)
    # PM2.5 SPF: AF 0.093200 × 6000 × 0.01 = 5.59
    assert body["air"]["pm25"]["attributable_deaths"] == pytest.approx(5.59, abs=0.005)
    assert body["air"]["pm25"]["ci_low"] < 5.59 < body["air"]["pm25"]["ci_high"]
    assert "no2" not in body["air"]


def test_impacts_with_who_parameters(tmp_path, capsys):
    exposure = tmp_path / "exposure.csv"
    exposure.write_text("indicator,band,population\nlden,65-70,0\n")
    air = tmp_path / "air.csv"
    air.write_text("pollutant,concentration,population,baseline_death_rate\npm25,12,6000,0.01\n")
    # The "who2018" name selects the WHO set: RR 1.08 → AF 0.052447 × 60 = 3.15
    body = run(capsys, "impacts", "--exposure", str(exposure), "--air", str(air), "--parameters", "who2018", "--json")
    assert body["air"]["pm25"]["attributable_deaths"] == pytest.approx(3.15, abs=0.005)


def test_impacts_monte_carlo(tmp_path, capsys):
    exposure = tmp_path / "exposure.csv"
    exposure.write_text("indicator,band,population\nlden,65-70,0\n")
    air = tmp_path / "air.csv"
    air.write_text("pollutant,concentration,population,baseline_death_rate\npm25,12,6000,0.01\n")
    body = run(capsys, "impacts", "--exposure", str(exposure), "--air", str(air), "--monte-carlo", "500", "--json")
    assert body["air"]["pm25"]["monte_carlo"]["draws"] == 500


def test_impacts_unknown_parameters(tmp_path, capsys):
    exposure = tmp_path / "exposure.csv"
    exposure.write_text("indicator,band,population\nlden,65-70,10\n")
    with pytest.raises(SystemExit):
        call_command("estimaction", "impacts", "--exposure", str(exposure), "--parameters", "nope")
    assert "nope" in capsys.readouterr().err


@pytest.mark.usefixtures("territoires_reference")
def test_import_then_compute_a_commune(tmp_path, capsys, settings):
    settings.DATA_DIR = tmp_path / "data"
    common = ["--producer", "INSEE", "--vintage", "2019", "--coverage", "test", "--json"]
    run(capsys, "import", str(files.write_grid_csv(tmp_path / "grid.csv")), "--kind", "population", *common)
    run(capsys, "import", str(files.write_noise_file(tmp_path / "cbs.gpkg")), "--kind", "bruit", *common)
    body = run(capsys, "compute", "35281", "--json")
    # Saint-Jacques-de-la-Lande (35281) shares only the third cell (30 people) with Rennes → 15 people.
    assert body["name"] == "Saint-Jacques-de-la-Lande"
    assert body["total_population"] == pytest.approx(15)
    body = run(capsys, "compute", "35238", "--json")
    # Rennes: 100 + 50 + 15 = 165, of whom 50 in Lden 65-70.
    assert body["total_population"] == pytest.approx(165)
    assert body["lden"]["65-70"] == pytest.approx(50, abs=0.01)


def test_impacts_reads_an_optional_source_column(tmp_path, capsys):
    exposure = tmp_path / "exposure.csv"
    exposure.write_text(
        "indicator,band,population,source\n"
        "lden,<55,0,rail\nlden,60-65,10000,rail\nlden,60-65,10000,aircraft\nlden,60-65,10000,industry\n"
    )
    body = run(capsys, "impacts", "--exposure", str(exposure), "--json")
    # rail, 62.5 dB: 38.1596 − 128.46125 + 111.328125 = 21.026475 % × 10,000 = 2,102.6475 HA, no IHD
    assert body["noise_by_source"]["rail"]["highly_annoyed"] == pytest.approx(2102.6475, abs=1e-3)
    assert body["noise_by_source"]["rail"]["ihd_attributable_cases"] == 0
    # aircraft, 62.5 dB: −50.9693 + 63.55 + 28.125 = 40.7057 % × 10,000 = 4,070.57 HA
    assert body["noise_by_source"]["aircraft"]["highly_annoyed"] == pytest.approx(4070.57, abs=1e-3)
    assert "not_applicable" in body["noise_by_source"]["industry"]
    # No road rows: `noise` keeps its documented shape with the first source that has a curve.
    assert body["noise"]["source_type"] == "rail"
    assert body["noise"]["highly_annoyed"] == pytest.approx(2102.6475, abs=1e-3)

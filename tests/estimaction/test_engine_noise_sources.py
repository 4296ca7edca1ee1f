"""Noise per source type (road, rail, aircraft, industry): the right curve for each source, checked
against hand arithmetic, and exposure kept apart per source (Directive (EU) 2020/367, Annex III).

Coefficients (Directive (EU) 2020/367 Annex III, from WHO 2018 / Guski 2017 and Basner & McGuire 2018):
%HA  road 78.9270 − 3.1162·L + 0.0342·L²; rail 38.1596 − 2.05538·L + 0.0285·L²;
     aircraft −50.9693 + 1.0168·L + 0.0072·L²
%HSD road 19.4312 − 0.9336·L + 0.0126·L²; rail 67.5406 − 3.1852·L + 0.0391·L²;
     aircraft 16.7885 − 0.9293·L + 0.0198·L²
"""

import numpy as np
import pytest
import shapely

from communs.estimaction.engine import impacts
from communs.estimaction.engine.diagnosis import diagnose, noise_sources
from communs.estimaction.engine.exposure import compute_exposure, prepare_zones
from communs.estimaction.engine.grid import PopulationGrid, make_cell_id
from communs.estimaction.engine.noise_zones import (
    NoiseFileError,
    build_zones,
    parse_source_type,
    read_noise_zones,
    source_type_from_file_name,
)
from tests.estimaction import files

E0, N0 = 3_762_000, 2_890_000


@pytest.mark.parametrize(
    ("source", "expected_percent"),
    [
        # road: 78.9270 − 3.1162·65 (202.553) + 0.0342·4225 (144.495) = 20.869 %
        ("road", 20.869),
        # rail: 38.1596 − 2.05538·65 (133.5997) + 0.0285·4225 (120.4125) = 24.9724 %
        ("rail", 24.9724),
        # aircraft: −50.9693 + 1.0168·65 (66.092) + 0.0072·4225 (30.42) = 45.5427 %
        ("aircraft", 45.5427),
    ],
)
def test_ten_thousand_people_at_lden_65_highly_annoyed_per_source(source, expected_percent):
    # 10,000 people at 65 dB Lden: HA = 10,000 × %HA / 100 → road 2,086.9; rail 2,497.24; aircraft 4,554.27
    ha = 10_000 * impacts.percent_highly_annoyed(65, source) / 100
    assert ha == pytest.approx(100 * expected_percent, abs=0.01)


@pytest.mark.parametrize(
    ("source", "expected_percent"),
    [
        # road: 19.4312 − 0.9336·55 (51.348) + 0.0126·3025 (38.115) = 6.1982 %
        ("road", 6.1982),
        # rail: 67.5406 − 3.1852·55 (175.186) + 0.0391·3025 (118.2775) = 10.6321 %
        ("rail", 10.6321),
        # aircraft: 16.7885 − 0.9293·55 (51.1115) + 0.0198·3025 (59.895) = 25.572 %
        ("aircraft", 25.572),
    ],
)
def test_highly_sleep_disturbed_at_lnight_55_per_source(source, expected_percent):
    assert impacts.percent_highly_sleep_disturbed(55, source) == pytest.approx(expected_percent, abs=1e-4)


def test_rail_band_impacts_use_the_midpoint_and_have_no_ihd():
    # 10,000 people in Lden 60-65 (midpoint 62.5) near a railway:
    # %HA = 38.1596 − 2.05538·62.5 (128.46125) + 0.0285·3906.25 (111.328125) = 21.026475 % → 2,102.6475 HA
    # the same people in Lnight 50-55 (midpoint 52.5):
    # %HSD = 67.5406 − 3.1852·52.5 (167.223) + 0.0391·2756.25 (107.769375) = 8.086975 % → 808.6975 HSD
    # DALY = 2,102.6475 × 0.02 + 808.6975 × 0.07 = 42.05295 + 56.608825 = 98.661775
    # IHD: Directive 2020/367 gives the function for road noise only → 0 for rail.
    result = impacts.noise_impacts(
        {"<55": 0, "60-65": 10_000}, {"50-55": 10_000}, source_type="rail", ihd_incidence_per_100k=300
    )
    assert result.highly_annoyed == pytest.approx(2102.6475, abs=1e-3)
    assert result.highly_sleep_disturbed == pytest.approx(808.6975, abs=1e-3)
    assert result.daly == pytest.approx(98.661775, abs=1e-4)
    assert result.ihd_attributable_cases == 0 and result.ihd_paf == 0


def test_aircraft_band_impacts_use_the_midpoint():
    # 10,000 people in Lden 60-65 (62.5) near an airport:
    # %HA = −50.9693 + 1.0168·62.5 (63.55) + 0.0072·3906.25 (28.125) = 40.7057 % → 4,070.57 HA
    # Lnight 50-55 (52.5): %HSD = 16.7885 − 0.9293·52.5 (48.78825) + 0.0198·2756.25 (54.57375) = 22.574 % → 2,257.4
    result = impacts.noise_impacts({"60-65": 10_000}, {"50-55": 10_000}, source_type="aircraft")
    assert result.highly_annoyed == pytest.approx(4070.57, abs=1e-3)
    assert result.highly_sleep_disturbed == pytest.approx(2257.4, abs=1e-3)
    assert result.ihd_attributable_cases == 0


def test_industry_has_no_exposure_response_function_and_road_keeps_its_ihd():
    by_source = impacts.noise_impacts_by_source(
        {"road": {"lden": {"<55": 8000, "65-70": 2000}}, "industry": {"lden": {"<55": 9000, "65-70": 1000}}},
        total_population=10_000,
    )
    assert by_source["industry"] is None
    # road: 2,000 at 67.5 → 24.40725 % → 488.145 HA (see test_engine_noise_impacts)
    assert by_source["road"].highly_annoyed == pytest.approx(488.145, abs=1e-3)
    assert by_source["road"].ihd_attributable_cases > 0


def test_diagnose_gives_each_source_its_curve_and_threshold():
    # 1,000 people, 200 in Lden 65-70 of a road, 200 in Lden 65-70 of a railway.
    # road HA: 200 × 24.40725 % = 48.8145; rail HA: 200 × (38.1596 − 138.73815 + 129.853125 = 29.274575 %) = 58.54915
    # WHO thresholds: road 53 dB (below the first band → lower bound 200), rail 54 dB (also a lower bound);
    # regulatory: road 68 → 200 × (70 − 68)/5 = 80, conventional rail 73 → 0 (65-70 is below 73).
    exposure = {
        "total_population": 1000,
        "lden": {"<55": 800, "65-70": 200},
        "lnight": {"<50": 1000},
        "sources": {
            "road": {"lden": {"<55": 800, "65-70": 200}, "lnight": {"<50": 1000}, "exceedance": {}},
            "rail": {"lden": {"<55": 800, "65-70": 200}, "lnight": {"<50": 1000}, "exceedance": {}},
            "industry": {"lden": {"<55": 990, "55-60": 10}, "lnight": {"<50": 1000}, "exceedance": {}},
        },
    }
    figures = diagnose(exposure, {})
    assert figures["noise"]["road"]["highly_annoyed"] == pytest.approx(48.8145, abs=1e-4)
    assert figures["noise"]["rail"]["highly_annoyed"] == pytest.approx(58.54915, abs=1e-4)
    assert figures["noise"]["rail"]["ihd_attributable_cases"] == 0
    assert "OMS 2018" in figures["noise"]["industry"]["not_applicable"]
    assert figures["above"]["road"]["lden"]["threshold"] == 53
    assert figures["above"]["rail"]["lden"]["threshold"] == 54
    assert figures["above"]["industry"]["lden"] is None  # WHO 2018 has no industry guideline
    regulatory = diagnose(exposure, {}, thresholds="regulatory")
    assert regulatory["above"]["road"]["lden"]["population"] == pytest.approx(80)
    assert regulatory["above"]["rail"]["lden"]["population"] == pytest.approx(0)
    assert regulatory["above"]["industry"]["lden"]["threshold"] == 71


def test_a_result_stored_before_the_split_is_read_as_road():
    legacy = {"total_population": 10, "lden": {"<55": 5, "65-70": 5}, "lnight": {"<50": 10}, "exceedance": {}}
    assert list(noise_sources(legacy)) == ["road"]
    assert noise_sources(legacy)["road"]["lden"] == {"<55": 5, "65-70": 5}


def _grid(populations):
    east = np.array([E0 + 200 * i for i in range(len(populations))], dtype=float)
    north = np.full(len(populations), float(N0))
    ids = np.array([make_cell_id(e, n) for e, n in zip(east, north, strict=True)], dtype=object)
    return PopulationGrid(ids, east, north, np.array(populations, dtype=float))


@pytest.mark.parametrize("prepared", [False, True])
def test_road_and_rail_exposure_stay_apart_and_all_sources_never_count_twice(prepared):
    # Cell A: 100 people. A road Lden 65-70 zone covers its west half, a railway Lden 70-75 zone its whole.
    # road: 65-70 = 50, <55 = 50; rail: 70-75 = 100, <55 = 0.
    # All sources (highest band in each place): the west half is both 65-70 road and 70-75 rail → 70-75;
    # so 70-75 = 100 and 65-70 = 0 (never 150 people).
    zones = build_zones(
        [shapely.box(E0, N0, E0 + 100, N0 + 200), shapely.box(E0, N0, E0 + 200, N0 + 200)],
        ["LD", "LD"],
        ["Lden65", "Lden70"],
        source_types=["R", "F"],
        crs="EPSG:3035",
    )
    result = compute_exposure(_grid([100]), prepare_zones(zones) if prepared else zones)
    road, rail = result.by_source["road"].bands["lden"], result.by_source["rail"].bands["lden"]
    assert road["65-70"] == pytest.approx(50) and road["<55"] == pytest.approx(50)
    assert rail["70-75"] == pytest.approx(100) and rail["<55"] == pytest.approx(0)
    assert result.bands["lden"]["70-75"] == pytest.approx(100)
    assert result.bands["lden"]["65-70"] == pytest.approx(0)
    payload = result.as_dict()
    assert set(payload["sources"]) == {"road", "rail"}
    for source in ("road", "rail"):
        assert sum(payload["sources"][source]["lden"].values()) == pytest.approx(100)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("R", "road"),
        ("F", "rail"),
        ("A", "aircraft"),
        ("I", "industry"),
        ("fer", "rail"),
        ("Aérodrome", "aircraft"),
        ("", None),
        (None, None),
    ],
)
def test_cnig_source_codes_and_words(value, expected):
    assert parse_source_type(value) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CBS_fer_35_2022.gpkg", "rail"),
        ("cbs-routier-ille-et-vilaine.gpkg", "road"),
        ("PEB_aerodrome_rennes.gpkg", "aircraft"),
        # One-letter CNIG codes are never read from a name: "A" here is the zone type, not aircraft.
        ("N_BRUIT_ZBR_R_A_LD_S_035.gpkg", None),
        ("carte_route_et_fer.gpkg", None),  # two sources named: undecided
    ],
)
def test_source_type_from_file_name(name, expected):
    assert source_type_from_file_name(name) == expected


def test_typesource_f_is_read_as_rail(tmp_path):
    zones = read_noise_zones(files.write_rail_file(tmp_path / "cbs.gpkg"))
    assert zones.source_types() == ["rail"]


def test_empty_typesource_takes_the_declared_source(tmp_path):
    zones = read_noise_zones(files.write_rail_file(tmp_path / "cbs.gpkg", typesource=""), declared_source="rail")
    assert zones.source_types() == ["rail"]
    # Nothing declared, nothing in the name: road, the historical default.
    assert read_noise_zones(tmp_path / "cbs.gpkg").source_types() == ["road"]


def test_typesource_contradicting_the_declared_source_names_the_feature(tmp_path):
    path = files.write_rail_file(tmp_path / "cbs.gpkg")
    with pytest.raises(NoiseFileError, match="entité 1, champ TYPESOURCE"):
        read_noise_zones(path, declared_source="road")


def test_unknown_typesource_names_the_feature(tmp_path):
    path = files.write_rail_file(tmp_path / "cbs.gpkg", typesource="X")
    with pytest.raises(NoiseFileError, match="entité 1, champ TYPESOURCE : type de source « X » inconnu"):
        read_noise_zones(path)


def test_noise_map_outside_france_or_with_non_finite_coordinates_is_refused(tmp_path):
    import warnings

    from communs.estimaction.engine.noise_zones import write_noise_gpkg

    row = {"TYPEZONE": "A", "INDICETYPE": "LD", "LEGZONE": "Lden65", "TYPESOURCE": "R"}
    # Lambert-93 eastings stop near 1,350 km: a box at 5,000 km east is not in France.
    write_noise_gpkg(tmp_path / "loin.gpkg", [shapely.box(5_000_000, 6_800_000, 5_000_200, 6_800_200)], [row])
    with pytest.raises(NoiseFileError, match="loin.gpkg : le point .* hors de l'emprise de la France"):
        read_noise_zones(tmp_path / "loin.gpkg")
    ring = [(350_000, 6_790_000), (350_200, 6_790_000), (float("nan"), 6_790_200), (350_000, 6_790_000)]
    with warnings.catch_warnings():  # shapely warns on building the NaN ring the test needs
        warnings.simplefilter("ignore", RuntimeWarning)
        write_noise_gpkg(tmp_path / "nan.gpkg", [shapely.Polygon(ring)], [row])
    with pytest.raises(NoiseFileError, match="nan.gpkg : coordonnée non finie"):
        read_noise_zones(tmp_path / "nan.gpkg")

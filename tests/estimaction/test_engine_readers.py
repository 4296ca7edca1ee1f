"""Readers of the real formats: Filosofi grid (CSV, GeoPackage), CNIG noise GeoPackage, GeoTIFF."""

import numpy as np
import pytest

from communs.estimaction.engine.air import AirFileError, read_air_csv, read_raster, sample_grid
from communs.estimaction.engine.exposure import compute_exposure
from communs.estimaction.engine.exposure_table import ExposureFileError, read_exposure_csv
from communs.estimaction.engine.grid import GridFileError, cell_polygon, commune_codes, read_population_grid
from communs.estimaction.engine.noise_zones import NoiseFileError, parse_band, read_noise_zones
from tests.estimaction import files


def test_cell_id_gives_the_200m_square_in_epsg_3035():
    polygon = cell_polygon("CRS3035RES200mN2890000E3762000")
    assert polygon.bounds == (3762000, 2890000, 3762200, 2890200)


def test_lcog_geo_lists_communes():
    assert commune_codes("3523835281") == ["35238", "35281"]


def test_filosofi_csv(tmp_path):
    grid = read_population_grid(files.write_grid_csv(tmp_path / "carreaux.csv", ages=True))
    assert grid.total == 180  # 100 + 50 + 30
    assert grid.communes[2] == ["35238", "35281"]
    assert grid.ages["ind_25_39"][0] == pytest.approx(20)


def test_filosofi_geopackage_with_old_capitalised_columns(tmp_path):
    grid = read_population_grid(files.write_grid_gpkg(tmp_path / "carreaux.gpkg"))
    assert grid.population.tolist() == [100, 50, 30]


def test_grid_error_names_file_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("idcar_200m,ind\nCRS3035RES200mN2890000E3762000,12\nCRS3035RES200mN2890000E3762200,douze\n")
    with pytest.raises(GridFileError, match=r"bad\.csv, ligne 3, colonne « ind »"):
        read_population_grid(path)


def test_grid_refuses_a_malformed_cell_id(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("idcar_200m,ind\nN2890000E3762000,12\n")
    with pytest.raises(GridFileError, match="ligne 2, colonne « idcar_200m »"):
        read_population_grid(path)


@pytest.mark.parametrize(
    ("legend", "indicator", "expected"),
    [
        ("Lden55", None, ("lden", 0)),
        ("LD65", None, ("lden", 2)),
        ("65-70", "lden", ("lden", 2)),
        (">=75", "lden", ("lden", 4)),
        ("LN50", None, ("lnight", 0)),
        ("70", "lnight", ("lnight", 4)),
    ],
)
def test_cnig_legends(legend, indicator, expected):
    assert parse_band(legend, indicator) == expected


def test_cnig_noise_geopackage_end_to_end(tmp_path):
    # Grid 100/50/30; Lden 65-70 on the west half of cell 1 → 50; Ln 55-60 on all of cell 2 → 50.
    grid = read_population_grid(files.write_grid_csv(tmp_path / "carreaux.csv"))
    zones = read_noise_zones(files.write_noise_file(tmp_path / "cbs.gpkg"))
    assert len(zones) == 2
    result = compute_exposure(grid, zones)
    assert result.bands["lden"]["65-70"] == pytest.approx(50, abs=0.01)
    assert result.bands["lnight"]["55-60"] == pytest.approx(50, abs=0.01)
    assert sum(result.bands["lden"].values()) == pytest.approx(180)


def test_noise_file_with_bad_legend_names_the_feature(tmp_path):
    import shapely

    from communs.estimaction.engine.noise_zones import write_noise_gpkg

    path = tmp_path / "bad.gpkg"
    write_noise_gpkg(
        path,
        [shapely.box(0, 0, 1, 1), shapely.box(1, 1, 2, 2)],
        [
            {"TYPEZONE": "A", "INDICETYPE": "LD", "LEGZONE": "Lden55"},
            {"TYPEZONE": "A", "INDICETYPE": "LD", "LEGZONE": "Lden42"},
        ],
    )
    with pytest.raises(NoiseFileError, match="bad.gpkg, entité 2, champ LEGZONE"):
        read_noise_zones(path)


def test_geotiff_is_sampled_at_cell_centres(tmp_path):
    # Pixels 300 m wide from E 3,762,000: cell centres at +100, +300, +500 → columns 0, 1, 1.
    raster = read_raster(files.write_air_tiff(tmp_path / "pm25.tif", 12.0, 4.0))
    grid = read_population_grid(files.write_grid_csv(tmp_path / "carreaux.csv"))
    assert sample_grid(raster, grid).tolist() == [12.0, 4.0, 4.0]


def test_cells_outside_the_raster_are_missing(tmp_path):
    from communs.estimaction.engine.air import sample_at

    raster = read_raster(files.write_air_tiff(tmp_path / "pm25.tif"))
    assert np.isnan(sample_at(raster, np.array([0.0]), np.array([0.0]))[0])


def test_exposure_csv(tmp_path):
    path = tmp_path / "exposure.csv"
    path.write_text("indicator,band,population\nlden,65-70,10\nlden,>=75,5\nlnight,<50,3\n")
    # No `source` column: every row is road, the format's original meaning.
    assert read_exposure_csv(path) == {"road": {"lden": {"65-70": 10.0, ">=75": 5.0}, "lnight": {"<50": 3.0}}}


def test_exposure_csv_source_column_accepts_cnig_codes_and_words(tmp_path):
    path = tmp_path / "exposure.csv"
    path.write_text(
        "indicator,band,population,source\nlden,65-70,10,road\nlden,65-70,7,F\nlnight,55-60,4,fer\n"
        "lden,60-65,2,aérodrome\nlden,55-60,1,\n"
    )
    assert read_exposure_csv(path) == {
        "road": {"lden": {"65-70": 10.0, "55-60": 1.0}},
        "rail": {"lden": {"65-70": 7.0}, "lnight": {"55-60": 4.0}},
        "aircraft": {"lden": {"60-65": 2.0}},
    }


def test_exposure_csv_unknown_source_names_line_and_column(tmp_path):
    path = tmp_path / "exposure.csv"
    path.write_text("indicator,band,population,source\nlden,65-70,10,road\nlden,65-70,7,tramway\n")
    with pytest.raises(ExposureFileError, match="ligne 3, colonne « source »"):
        read_exposure_csv(path)


def test_exposure_csv_error_names_line_and_column(tmp_path):
    path = tmp_path / "exposure.csv"
    path.write_text("indicator,band,population\nlden,65-70,10\nlden,42-47,5\n")
    with pytest.raises(ExposureFileError, match="ligne 3, colonne « band »"):
        read_exposure_csv(path)


def test_air_csv_error(tmp_path):
    path = tmp_path / "air.csv"
    path.write_text("pollutant,concentration,population,baseline_death_rate\npm25,12,6000,0.01\no3,3,2,0.1\n")
    with pytest.raises(AirFileError, match="ligne 3, colonne « pollutant »"):
        read_air_csv(path)


def test_netcdf_is_read_like_a_geotiff(tmp_path):
    # The same 2 × 2 raster copied to NetCDF with GDAL: west column 12, east column 4 µg/m³.
    import rasterio.shutil

    rasterio.shutil.copy(files.write_air_tiff(tmp_path / "pm25.tif"), tmp_path / "pm25.nc", driver="netCDF")
    raster = read_raster(tmp_path / "pm25.nc")
    grid = read_population_grid(files.write_grid_csv(tmp_path / "carreaux.csv"))
    assert sample_grid(raster, grid).tolist() == [12.0, 4.0, 4.0]


def test_grid_and_air_files_with_absurd_values_or_oversized_fields_are_located(tmp_path):
    from communs.estimaction.engine.air import AirFileError, read_air_csv
    from communs.estimaction.engine.grid import GridFileError, read_population_grid

    grid = tmp_path / "carreaux.csv"
    grid.write_text("idcar_200m,ind\nCRS3035RES200mN2800000E3800000,1e308\n", encoding="utf-8")
    with pytest.raises(GridFileError, match="carreaux.csv, ligne 2, colonne « ind » : valeur positive finie"):
        read_population_grid(grid)
    grid.write_text("idcar_200m,ind\nCRS3035RES200mN2800000E3800000," + "1" * 140_000 + "\n", encoding="utf-8")
    with pytest.raises(GridFileError, match="carreaux.csv, ligne 2 : champ de plus de 131"):
        read_population_grid(grid)
    air = tmp_path / "air.csv"
    air.write_text("pollutant,concentration,population,baseline_death_rate\npm25,inf,10,0.01\n", encoding="utf-8")
    with pytest.raises(AirFileError, match="air.csv, ligne 2, colonne « concentration »"):
        read_air_csv(air)

import pytest

from tests.estimaction import files


@pytest.fixture
def computed_rennes(territoires_reference, tmp_path, settings):
    """The small real-format inputs imported, and Rennes (35238) computed: 165 people, 50 in Lden 65-70."""
    from communs.estimaction import services

    settings.DATA_DIR = tmp_path / "data"
    for path, kind in (
        (files.write_grid_csv(tmp_path / "grid.csv", ages=True), "population"),
        (files.write_noise_file(tmp_path / "cbs.gpkg"), "bruit"),
        (files.write_air_tiff(tmp_path / "pm25.tif", 12.0, 4.0), "pm25"),
    ):
        services.import_dataset(
            path, kind=kind, name=path.name, producer="Producteur test", vintage=2021, coverage="35"
        )
    return services.compute_territory("commune", "35238")

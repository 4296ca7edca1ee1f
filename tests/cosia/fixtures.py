"""CoSIA fixtures shared by tests/cosia and the browser tests: data folder, demo rasters, ingested index."""

import pytest


@pytest.fixture
def cosia_data(settings, tmp_path):
    """CoSIA's data folder (COGs, mosaics, tiles, exports) in a fresh temporary directory."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR / "cosia"


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory):
    """A small demo dataset (600 × 600 px = 120 m, two vintages and the commune outline), written once."""
    from communs.cosia.engine.synthetic import demo_dataset

    return demo_dataset(tmp_path_factory.mktemp("cosia-demo"), size=600)


@pytest.fixture
def departement_35(db):
    """Région 53 and département 35 only (loading the whole reference costs seconds per live-server test)."""
    from communs.territoires.models import Departement, Region

    region, _ = Region.objects.get_or_create(code="53", defaults={"nom": "Bretagne", "search_name": "bretagne"})
    departement, _ = Departement.objects.get_or_create(
        code="35", defaults={"nom": "Ille-et-Vilaine", "region": region, "search_name": "ille et vilaine"}
    )
    return departement


@pytest.fixture
def ingested(departement_35, cosia_data, demo_files):
    """Both demo vintages ingested for département 35, and the demo commune stored as zone `demo`."""
    from pathlib import Path

    from communs.cosia import services

    for vintage, path in demo_files["rasters"].items():
        services.ingest_rasters([path], departement="35", vintage=int(vintage))
    services.save_zone(
        "demo", "Commune de démonstration", Path(demo_files["territory"]).read_text(), departement="35", source="demo"
    )
    return demo_files

import pytest

# affine 3.x (a rasterio dependency) warns when rasterio itself composes transforms with `*`
# (rasterio.transform.from_origin, rasterio.windows); the warning is theirs, not ours.
RASTERIO_AFFINE_WARNING = "ignore:Use `@` matmul instead of `\\*` mul operator:PendingDeprecationWarning"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/cosia/" in str(item.fspath) or "test_browser_cosia" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings(RASTERIO_AFFINE_WARNING))


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
def ingested(territoires_reference, cosia_data, demo_files):
    """Both demo vintages ingested for département 35, and the demo commune stored as zone `demo`."""
    from pathlib import Path

    from communs.cosia import services

    for vintage, path in demo_files["rasters"].items():
        services.ingest_rasters([path], departement="35", vintage=int(vintage))
    services.save_zone(
        "demo", "Commune de démonstration", Path(demo_files["territory"]).read_text(), departement="35", source="demo"
    )
    return demo_files

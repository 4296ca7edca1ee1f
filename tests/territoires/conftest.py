import pytest

from tests.cosia.conftest import RASTERIO_AFFINE_WARNING
from tests.cosia.fixtures import cosia_data, demo_files, departement_35  # noqa: F401 (fixtures)
from tests.pilote.conftest import catalogue  # noqa: F401 (fixture)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(
            name in str(item.fspath) for name in ("test_views_territory", "test_api_synthesis", "test_demo_panels")
        ):
            item.add_marker(pytest.mark.filterwarnings(RASTERIO_AFFINE_WARNING))


@pytest.fixture
def rennes_everywhere(territoires_reference, tmp_path, request, django_capture_on_commit_callbacks):
    """Rennes known to CoSIA (stored statistics of two vintages), Estim'Action (computed exposure),
    PILOTE (a small catalogue, département 35) and Champollion (findings in 35 and in 75)."""
    from tests.estimaction.files import import_and_compute_rennes
    from tests.territoires import synthesis_data

    # Fixtures of other apps, asked by name (imported above so that pytest finds them).
    request.getfixturevalue("cosia_data")
    files = request.getfixturevalue("demo_files")
    pilote_catalogue = request.getfixturevalue("catalogue")

    # Estim'Action first: its small grid lies outside the hand-made Rennes square CoSIA imports.
    import_and_compute_rennes(tmp_path)
    synthesis_data.cosia_statistics_of_rennes(files, django_capture_on_commit_callbacks)
    synthesis_data.pilote_values(pilote_catalogue)
    synthesis_data.champollion_findings()

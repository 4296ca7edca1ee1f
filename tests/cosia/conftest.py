import pytest

# affine 3.x (a rasterio dependency) warns when rasterio itself composes transforms with `*`
# (rasterio.transform.from_origin, rasterio.windows); the warning is theirs, not ours.
RASTERIO_AFFINE_WARNING = "ignore:Use `@` matmul instead of `\\*` mul operator:PendingDeprecationWarning"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/cosia/" in str(item.fspath) or "test_browser_cosia" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings(RASTERIO_AFFINE_WARNING))


from tests.cosia.fixtures import cosia_data, demo_files, departement_35, ingested  # noqa: E402, F401 (fixtures)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Anonymous heavy requests are counted in the cache (per address): each test starts at zero."""
    from django.core.cache import cache

    cache.clear()

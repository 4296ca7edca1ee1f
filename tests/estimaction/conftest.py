import pytest

from tests.estimaction import files


@pytest.fixture
def computed_rennes(territoires_reference, tmp_path):
    """The small real-format inputs imported, and Rennes (35238) computed: 165 people, 50 in Lden 65-70."""
    return files.import_and_compute_rennes(tmp_path)

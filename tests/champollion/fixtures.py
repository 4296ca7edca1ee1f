"""Champollion DB fixtures: the acceptance DSN fixtures imported into a test database.

Used by tests/champollion (through its conftest) and by the browser tests (imported there)."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def champollion_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def imported(territoires_reference, champollion_data_dir):
    """Carence (35), renewals (44), annule-et-remplace (75) and interim scenarios in the database."""
    from communs.champollion import services

    return services.import_paths(
        [DATA / "carence", DATA / "renouvellements", DATA / "annule-remplace", DATA / "interim"]
    )

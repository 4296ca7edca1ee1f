"""Shared fixtures for tests that need the territorial reference (any app may use them).

Enabled for the whole suite by `pytest_plugins = ["tests.territoires.fixtures"]` in tests/conftest.py.

Loading the full reference (≈ 35 000 communes) takes a few seconds, so it happens once per test
database (once per xdist worker) and is committed, outside any test transaction. Transactional
tests (`transaction=True`, `live_server`) flush every table when they end; `territoires_reference`
then notices the empty tables and loads again (pytest-django runs those tests last, so this is rare).
"""

import pytest


@pytest.fixture(scope="session")
def _territoires_reference_session(django_db_setup, django_db_blocker):
    from communs.territoires.services import load_reference

    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def territoires_reference(_territoires_reference_session, db):
    """The full reference in the database: régions, départements, EPCI, communes."""
    from communs.territoires.models import Commune
    from communs.territoires.services import load_reference

    if not Commune.objects.exists():
        load_reference()

"""Fixtures of tests/inondata (defined in fixtures.py, shared with the browser tests)."""

from tests.inondata.fixtures import agent, demo_scenarios, inondata_data  # noqa: F401 (fixtures)

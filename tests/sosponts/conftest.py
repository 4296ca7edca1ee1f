from tests.sosponts.helpers import bridge_fixture, people_fixture  # noqa: F401 - fixtures of the SOS Ponts tests

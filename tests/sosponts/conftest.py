pytest_plugins = ["tests.sosponts.helpers"]

from tests.champollion.fixtures import champollion_data_dir, imported  # noqa: F401

"""The one list of the suite's service apps.

Adding a service means adding its slug here: `INSTALLED_APPS`, the root URLs and the API routers
are derived from this tuple. What cannot be derived (the import-linter contracts in
`pyproject.toml`, the portal catalogue, docs, demo and bench) is checked against it by
`tests/test_consistency.py`. Pure Python: settings import it before Django is set up.
"""

SERVICE_APPS: tuple[str, ...] = (
    "bascarbone",
    "champollion",
    "cosia",
    "ecospheres",
    "estimaction",
    "inondata",
    "nomad",
    "pilote",
    "recensmart",
    "sirano",
    "sosponts",
)

"""Shared test fixtures: users with role grants, an API client with a token."""

import os

import pytest

os.environ.setdefault("COMMUNS_ENV", "test")


@pytest.fixture
def make_user(db, django_user_model):
    """Create a user, optionally with role grants.

    make_user("alice", grants=[("champollion", "inspecteur", "departement", "35")])
    """

    def factory(username="agent", *, grants=(), password="mot-de-passe-solide-42", **fields):  # noqa: S107
        from communs.core.models import RoleGrant

        user = django_user_model.objects.create_user(username=username, password=password, **fields)
        for service, role, level, code in grants:
            RoleGrant.objects.create(user=user, service=service, role=role, scope_level=level, scope_code=code)
        return user

    return factory


pytest_plugins = ["tests.territoires.fixtures"]


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings, tmp_path_factory):
    """Every test writes its files (COGs, DSN stores, uploads, exports) under a temporary folder,
    never into the developer's `var/` where `make run` keeps its own data."""
    data_dir = tmp_path_factory.mktemp("communs-data")
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "media"

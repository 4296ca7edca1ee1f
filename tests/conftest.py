"""Shared test fixtures: users with role grants, an API client with a token."""

import os
from pathlib import Path

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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters (`core.ratelimit`), the shared page
    shells and the search index keys must not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Guards: habits the suite enforces (docs/ARCHITECTURE.md, "Rules the tests enforce") ---------

SOURCE_ROOT = str(Path(__file__).resolve().parents[1] / "src" / "communs")
DEFAULTING_FILTERS = {"default", "default_if_none"}


@pytest.fixture(autouse=True)
def _fail_on_undefined_template_variables(monkeypatch, request):
    """`{{ variable }}` that does not resolve in one of OUR templates fails the test (a typo, a renamed
    context key). `|default:…` and `|default_if_none:…` say the variable may be absent on purpose.

    Django's `string_if_invalid` cannot do this alone: once set, it also switches off `|default` for
    every template, and django-dsfr's own templates rely on it (`self.root_dir|default:'/'`), so the
    check is made on our templates' variable nodes only. Opt out with
    `@pytest.mark.allow_undefined_template_variables` (none does today)."""
    if request.node.get_closest_marker("allow_undefined_template_variables"):
        return
    from django.template.base import VariableDoesNotExist, VariableNode

    original = VariableNode.render

    def render(self, context):
        expression = self.filter_expression
        origin = getattr(getattr(self, "origin", None), "name", "") or ""
        if (
            expression.is_var
            and origin.startswith(SOURCE_ROOT)
            and not any(getattr(f, "__name__", "") in DEFAULTING_FILTERS for f, _ in expression.filters)
        ):
            try:
                expression.var.resolve(context)
            except VariableDoesNotExist:
                line = self.token.lineno if getattr(self, "token", None) else "?"
                pytest.fail(f"Undefined template variable '{expression.var}' in {origin}, line {line}")
        return original(self, context)

    monkeypatch.setattr(VariableNode, "render", render)


@pytest.fixture(autouse=True)
def _shuffle_unordered_querysets(monkeypatch, request):
    """A queryset without an order (no `order_by()`, no `Meta.ordering`, or a GROUP BY) comes back
    shuffled, so a page or a test that relies on the database's incidental order fails instead of
    passing by luck. Seeded by the test's id: a failure reproduces."""
    import random

    from django.db.models.query import QuerySet

    rng = random.Random(request.node.nodeid)
    original = QuerySet._fetch_all

    def fetch_all(self):
        fresh = self._result_cache is None
        original(self)
        if fresh and len(self._result_cache) > 1 and not self.ordered:
            rng.shuffle(self._result_cache)

    monkeypatch.setattr(QuerySet, "_fetch_all", fetch_all)


@pytest.fixture(autouse=True)
def _refuse_select_for_update_of_joined_rows(monkeypatch):
    """`select_for_update()` with `select_related()` locks every joined row on PostgreSQL (the
    ministry of a proposal, the chantier…) unless `of=` names the tables to lock: refused in tests."""
    from django.db.models.sql.compiler import SQLCompiler

    original = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        query = self.query
        if query.select_for_update and query.select_related and not query.select_for_update_of:
            raise AssertionError(
                f"select_for_update() with select_related() on {query.model.__name__} needs of=(…): "
                "it would lock the joined rows too."
            )
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)

"""The reference answers core's territorial scope questions (resolver registered in apps.ready)."""

import pytest

from communs.core.scopes import Scope

pytestmark = pytest.mark.usefixtures("territoires_reference")


def test_departement_scope_covers_its_communes():
    scope = Scope(departements=frozenset({"35"}))
    assert scope.covers(commune="35238")  # Rennes is in Ille-et-Vilaine
    assert not scope.covers(departement="75")
    assert not scope.covers(commune="75056")


def test_region_scope_covers_its_departements_and_communes():
    scope = Scope(regions=frozenset({"53"}))
    assert scope.covers(departement="35")
    assert scope.covers(commune="35238")
    assert not scope.covers(commune="42218")


def test_scope_filter_uses_the_reference():
    from communs.territoires.models import Commune

    scope = Scope(regions=frozenset({"53"}))
    filtered = scope.filter(Commune.objects.all(), commune="code")
    assert filtered.filter(code="35238").exists()
    assert not filtered.filter(code="42218").exists()

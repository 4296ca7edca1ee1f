"""Inondata fixtures shared by tests/inondata and the browser tests."""

import pytest


@pytest.fixture
def inondata_data(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR / "inondata"


@pytest.fixture
def agent(db, django_user_model):
    """A DDT agent with the Inondata role on département 35 (reference rows created as needed)."""
    from communs.core.models import ScopeLevel
    from communs.core.roles import grant_role
    from communs.territoires.models import Departement, Region

    region, _ = Region.objects.get_or_create(code="53", defaults={"nom": "Bretagne", "search_name": "bretagne"})
    Departement.objects.get_or_create(
        code="35", defaults={"nom": "Ille-et-Vilaine", "region": region, "search_name": "ille et vilaine"}
    )
    user = django_user_model.objects.create_user("agent-ddt", password="x")
    grant_role(user, "inondata", "agent", ScopeLevel.DEPARTEMENT, "35", reason="test")
    return user


@pytest.fixture
def demo_scenarios(db, inondata_data):
    """The two public demo scenarios, computed (the synthetic valley: 150 × 120 cells)."""
    from communs.inondata.demo import load_demo
    from communs.inondata.models import Scenario

    load_demo()
    return list(Scenario.objects.order_by("pk"))

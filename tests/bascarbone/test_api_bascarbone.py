"""API of État bas carbone: scoped like the pages."""

import pytest

from communs.bascarbone import services
from communs.bascarbone.engine.inventory import ActivityLine
from tests.bascarbone.factories import CorrespondentFactory, build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_user):
    tree = build_tree()
    spe = make_user("spe-35")
    CorrespondentFactory(user=spe, entity=tree["prefecture-35"])
    for code, line in (
        ("ddtm-35", ActivityLine("1.2", "gazole-routier", 1000, "L")),
        ("prefecture-35", ActivityLine("2.1", "electricite-france", 10000, "kWh")),
    ):
        services.add_activity(spe, services.get_or_create_inventory(spe, tree[code], 2025), line)
    return tree, spe


def test_requires_authentication(client, setup):
    assert client.get("/api/bascarbone/entites").status_code == 401


def test_entities_are_scoped(client, setup):
    _, spe = setup
    client.force_login(spe)
    body = client.get("/api/bascarbone/entites").json()
    assert [row["code"] for row in body] == ["ddtm-35", "prefecture-35"]


def test_summary(client, setup):
    _, spe = setup
    client.force_login(spe)
    body = client.get("/api/bascarbone/entites/prefecture-35/2025").json()
    # 3.160 + 0.520 = 3.680 t ± 0.166 t.
    assert body["total_tco2e"] == pytest.approx(3.68)
    assert round(body["uncertainty_tco2e"], 3) == 0.166
    assert body["entities_counted"] == 2
    assert body["children"][0]["code"] == "ddtm-35"


def test_summary_outside_scope_is_403(client, setup):
    _, spe = setup
    client.force_login(spe)
    response = client.get("/api/bascarbone/entites/region-53/2025")
    assert response.status_code == 403


def test_cgdd_sees_the_state_with_ddtm_counted_once(client, setup, make_user):
    client.force_login(make_user("cgdd", grants=[("bascarbone", "cgdd", "national", "")]))
    body = client.get("/api/bascarbone/entites/etat/2025").json()
    assert body["total_tco2e"] == pytest.approx(3.68)
    assert client.get("/api/bascarbone/entites/etat/2030").status_code == 404

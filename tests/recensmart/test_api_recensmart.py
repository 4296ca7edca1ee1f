"""API routes: engine-only validate/simulate, campaign routes with scope."""

import json

import pytest

from communs.recensmart import services
from tests.recensmart.factories import DESIGNER, MANAGER_35, campaign
from tests.recensmart.helpers import MENAGE

pytestmark = pytest.mark.django_db


def _document():
    return json.loads(MENAGE.read_text(encoding="utf-8"))


def test_validate(client):
    response = client.post("/api/recensmart/validate", {"questionnaire": _document()}, content_type="application/json")
    assert response.status_code == 200 and response.json()["valid"] is True
    document = _document()
    document["components"][0]["componentType"] = "Banner"
    body = client.post("/api/recensmart/validate", {"questionnaire": document}, content_type="application/json").json()
    assert body["errors"] == ["components[0] (id seq-logement) : componentType : type de composant inconnu « Banner »"]


def test_simulate(client):
    payload = {"questionnaire": _document(), "answers": {"JARDIN": "2", "NBPIECES": 40}}
    body = client.post("/api/recensmart/simulate", payload, content_type="application/json").json()
    assert body["blocked"]["control"] == "pieces-max"
    assert body["pages"] == ["1", "2", "4"]


def test_campaign_routes_follow_scope(client, make_user):
    designer = make_user("d", grants=DESIGNER)
    camp35 = campaign(designer, departement="35")
    camp29 = campaign(designer, departement="29")
    unit, _ = services.create_unit(camp35, "L1")
    services.start(unit.pk)
    services.submit_page(unit.pk, "1", {})
    client.force_login(make_user("m", grants=MANAGER_35))
    rows = client.get("/api/recensmart/campaigns").json()
    assert [row["id"] for row in rows] == [camp35.pk]
    assert rows[0]["started"] == 1
    assert client.get(f"/api/recensmart/campaigns/{camp35.pk}/stats").json()["started"] == 1
    assert client.get(f"/api/recensmart/campaigns/{camp29.pk}/stats").status_code == 403
    responses = client.get(f"/api/recensmart/campaigns/{camp35.pk}/responses").json()
    assert responses[0]["data"]["COLLECTED"]["PRENOM"] == {"COLLECTED": [None]}


def test_campaign_routes_need_auth(client):
    assert client.get("/api/recensmart/campaigns").status_code == 401

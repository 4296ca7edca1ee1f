"""PILOTE API: reads for any agent, writes scoped like the pages (403 outside the scope)."""

from datetime import date

import pytest

from communs.pilote import services
from communs.pilote.models import Value


def payload(territory, indicator="logements", value=12.0):
    return {"indicateur": indicator, "territoire": territory, "date": "2026-05-31", "metrique": "va", "valeur": value}


def test_api_needs_authentication(client, catalogue):
    assert client.get("/api/pilote/chantiers").status_code == 401


def test_departmental_user_cannot_write_another_departement_api(client, catalogue):
    client.force_login(catalogue["agent_35"])
    ok = client.post("/api/pilote/valeurs", payload("DEPT-35"), content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["modifie_par"] == "agent-35"
    refused = client.post("/api/pilote/valeurs", payload("DEPT-22"), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert list(Value.objects.values_list("territory", flat=True)) == ["DEPT-35"]


def test_unknown_territory_and_indicator(client, catalogue):
    client.force_login(catalogue["central_agent"])
    assert client.post("/api/pilote/valeurs", payload("DEPT-999"), content_type="application/json").status_code == 400
    response = client.post("/api/pilote/valeurs", payload("DEPT-35", indicator="x"), content_type="application/json")
    assert response.status_code == 404


def test_reads(client, catalogue):
    agent = catalogue["central_agent"]
    services.save_value(agent, catalogue["local"], "DEPT-35", date(2026, 1, 1), "vi", 20)
    services.save_value(agent, catalogue["local"], "DEPT-35", date(2027, 12, 31), "vc", 120)
    services.save_value(agent, catalogue["local"], "DEPT-35", date(2026, 5, 31), "va", 70)
    services.recompute_chantier(catalogue["chantier"], date(2026, 6, 30))
    client.force_login(catalogue["agent_22"])
    rows = client.get("/api/pilote/chantiers", {"territoire": "DEPT-35"}).json()
    assert {r["code"] for r in rows} == {"renovation", "lecture"}
    indicators = client.get("/api/pilote/chantiers/renovation/indicateurs", {"territoire": "DEPT-35"}).json()
    logements = next(r for r in indicators if r["indicateur"] == "logements")
    assert logements["ta"] == pytest.approx(50.0)  # 100·(70−20)/(120−20)
    alerts = client.get("/api/pilote/alertes", {"territoire": "DEPT-35"}).json()
    assert any(a["kind"] == "ta_non_calculable" for a in alerts)  # passoires has no value in 35
    assert client.get("/api/pilote/chantiers/inconnu/indicateurs").status_code == 404

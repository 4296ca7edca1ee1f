"""API /api/champollion/: same scope and audit rules as the pages."""

import pytest

from communs.core.models import AuditEvent
from tests.champollion.dsn_fixtures import CARENCE_SIRET

pytestmark = pytest.mark.django_db


def test_api_needs_a_role(client, make_user, imported):
    assert client.get("/api/champollion/etablissements", {"q": "352"}).status_code == 401
    client.force_login(make_user("nobody"))
    assert client.get("/api/champollion/etablissements", {"q": "352"}).status_code == 403


def test_api_establishment_and_findings(client, make_user, imported):
    client.force_login(make_user("insp44", grants=[("champollion", "inspecteur", "departement", "44")]))
    found = client.get("/api/champollion/etablissements", {"q": CARENCE_SIRET[:9]}).json()
    assert [e["siret"] for e in found] == [CARENCE_SIRET]
    body = client.get(f"/api/champollion/etablissements/{CARENCE_SIRET}").json()
    assert {(f["rule"], f["contract"], f["first_legal_day"]) for f in body["findings"]} == {
        ("delai_carence", "MIS000777", "2024-05-15"),
        ("delai_carence", "CDD2024002", "2024-05-16"),
    }
    assert "MARTIN" not in str(body)


def test_api_contracts_out_of_scope_is_403(client, make_user, imported):
    client.force_login(make_user("insp44", grants=[("champollion", "inspecteur", "departement", "44")]))
    response = client.get(f"/api/champollion/etablissements/{CARENCE_SIRET}/contrats")
    assert response.status_code == 403
    assert "MARTIN" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="champollion.contrat.api").exists()


def test_api_contracts_in_scope_with_token(client, make_user, imported):
    from communs.core.tokens import create_token

    user = make_user("insp35", grants=[("champollion", "inspecteur", "departement", "35")])
    _, secret = create_token(user, "test")
    response = client.get(
        f"/api/champollion/etablissements/{CARENCE_SIRET}/contrats", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200
    assert {c["nom"] for c in response.json()} == {"MARTIN", "DURAND", "LEROY"}
    assert AuditEvent.objects.filter(action="champollion.contrat.api", actor=user).count() == 1


def test_api_ciblage_is_scoped(client, make_user, imported):
    client.force_login(make_user("resp53", grants=[("champollion", "responsable", "region", "53")]))
    body = client.get("/api/champollion/ciblage").json()
    assert body["algorithm_version"] == "ciblage-1.0"
    assert {s["departement"] for s in body["scores"]} == {"35"}

"""Public JSON API at /api/territoires/ (no authentication)."""

import pytest

pytestmark = pytest.mark.usefixtures("territoires_reference")


def test_search_communes(client):
    response = client.get("/api/territoires/communes", {"q": "saint etienne"})
    assert response.status_code == 200
    first = response.json()[0]
    assert first == {
        "code": "42218",
        "nom": "Saint-Étienne",
        "type": "commune-actuelle",
        "departement": "42",
        "region": "84",
        "epci": "244200770",
        "commune_parente": None,
        "population": 173136,
        "codes_postaux": ["42000", "42100", "42230"],
    }


@pytest.mark.parametrize(("q", "code"), [("75056", "75056"), ("42000", "42218"), ("St-Etienne", "42218")])
def test_search_by_code_or_postcode(client, q, code):
    assert client.get("/api/territoires/communes", {"q": q}).json()[0]["code"] == code


def test_empty_query_is_a_json_error(client):
    response = client.get("/api/territoires/communes", {"q": " "})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_commune_detail_with_parents(client):
    body = client.get("/api/territoires/communes/35238").json()
    assert body["epci"] == {"code": "243500139", "nom": "Rennes Métropole"}
    assert body["departement"] == {"code": "35", "nom": "Ille-et-Vilaine"}
    assert body["region"] == {"code": "53", "nom": "Bretagne"}
    assert body["commune_parente"] is None


def test_unknown_commune_is_a_json_404(client):
    response = client.get("/api/territoires/communes/99999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "99999" in response.json()["error"]["message"]


def test_departements(client):
    body = client.get("/api/territoires/departements").json()
    assert len(body) == 109
    assert {"code": "35", "nom": "Ille-et-Vilaine", "region": "53"} in body
    detail = client.get("/api/territoires/departements/35").json()
    assert detail["communes_count"] == 332
    assert detail["region"]["code"] == "53"
    assert client.get("/api/territoires/departements/00").status_code == 404


def test_regions(client):
    assert len(client.get("/api/territoires/regions").json()) == 26
    bretagne = client.get("/api/territoires/regions/53").json()
    assert [d["code"] for d in bretagne["departements"]] == ["22", "29", "35", "56"]


def test_epci_with_members(client):
    body = client.get("/api/territoires/epci/243500139").json()
    assert body["type"] == "METRO"
    assert {"code": "35238", "nom": "Rennes"} in body["membres"]
    assert client.get("/api/territoires/epci/000000000").status_code == 404


def test_recherche(client):
    body = client.get("/api/territoires/recherche", {"q": "rennes", "niveau": ["epci", "commune"]}).json()
    assert {(hit["niveau"], hit["code"]) for hit in body} >= {("epci", "243500139"), ("commune", "35238")}
    bad = client.get("/api/territoires/recherche", {"q": "rennes", "niveau": "canton"})
    assert bad.status_code == 400


def test_openapi_lists_the_public_operations(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/territoires/communes" in paths
    assert "security" not in paths["/api/territoires/communes"]["get"]

"""The territory synthesis as JSON: valid against its own OpenAPI schema, public panels only for
anonymous calls, what the token's roles allow otherwise."""

import jsonschema
from openapi_spec_validator import validate

from communs.core.models import AuditEvent
from communs.core.tokens import create_token

URL = "/api/territoires/{level}/{code}/synthese"


def response_schema(client) -> tuple[dict, dict]:
    spec = client.get("/api/openapi.json").json()
    validate(spec)  # the whole document is valid OpenAPI
    operation = spec["paths"][URL]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return schema, spec


def check_against_openapi(client, body: dict) -> None:
    schema, spec = response_schema(client)
    # The schema's "$ref"s point into the document's components: validate with the document as root.
    jsonschema.validate(body, {**schema, "components": spec["components"]}, cls=jsonschema.Draft202012Validator)


def test_the_synthesis_validates_against_its_openapi_schema(client, rennes_everywhere):
    response = client.get("/api/territoires/commune/35238/synthese")
    assert response.status_code == 200
    body = response.json()
    check_against_openapi(client, body)
    services = [panel["service"] for panel in body["panneaux"]]
    assert services == ["cosia", "estimaction", "pilote"]  # public panels only, in service order
    estimaction = body["panneaux"][1]
    assert estimaction["lien"] == "http://testserver/estimaction/commune/35238/"
    assert estimaction["date"] and estimaction["source"].startswith("Estim'Action")
    assert estimaction["chiffres"][0] == {
        "cle": "population",
        "libelle": "Population des carreaux",
        "valeur": 165.0,  # tests/estimaction/files.py: 165 people in the small grid
        "unite": "habitants",
        "decimales": 0,
    }
    assert body["parents"][-1] == {"niveau": "region", "code": "53", "nom": "Bretagne"}


def test_a_token_of_an_inspector_adds_champollion_counts_and_is_audited(client, make_user, rennes_everywhere):
    inspector = make_user("inspectrice", grants=[("champollion", "inspecteur", "departement", "35")])
    _, clear = create_token(inspector, "script")
    body = client.get("/api/territoires/departement/35/synthese", headers={"Authorization": f"Bearer {clear}"}).json()
    check_against_openapi(client, body)
    champollion = next(panel for panel in body["panneaux"] if panel["service"] == "champollion")
    assert {c["cle"]: c["valeur"] for c in champollion["chiffres"]}["etablissements"] == 2
    assert "Entreprise secrète" not in str(body)
    assert AuditEvent.objects.filter(action="champollion.territoire.view", actor=inspector).count() == 1
    anonymous = client.get("/api/territoires/departement/35/synthese").json()
    assert "champollion" not in [panel["service"] for panel in anonymous["panneaux"]]


def test_bad_calls(client, territoires_reference):
    assert client.get("/api/territoires/canton/35/synthese").status_code == 404
    assert client.get("/api/territoires/commune/99999/synthese").status_code == 404
    refused = client.get("/api/territoires/commune/35238/synthese", headers={"Authorization": "Bearer cmn_faux"})
    assert refused.status_code == 401
    empty = client.get("/api/territoires/commune/42218/synthese").json()
    assert empty["panneaux"] == [] and empty["nom"] == "Saint-Étienne"

"""`communs ecospheres harvest | dedup | quality --json`: the JSON keys are a contract."""

import json

import pytest
from django.core.management import call_command

from tests.ecospheres.builders import DCAT_PREFIXES, dcat_dataset


def run(capsys, *args):
    call_command("ecospheres", *args)
    return json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_harvest_ckan_and_udata_then_dedup(capsys, http_server, tmp_path):
    package = {
        "id": "ckan-1",
        "name": "eau",
        "title": "Qualité de l'eau distribuée",
        "notes": "Potabilité",
        "organization": {"title": "ARS"},
        "extras": [{"key": "identifier", "value": "FR-EAU-001"}],
        "resources": [{"url": "https://data.example.org/eau.csv", "format": "CSV"}],
    }
    other = dict(package, id="ckan-2", name="air", title="Qualité de l'air", extras=[])
    # CKAN package_search paged by start/rows (rows=100): one page with count=2.
    http_server.json(
        "/api/3/action/package_search?start=0&rows=100",
        {"success": True, "result": {"count": 2, "results": [package, other]}},
    )
    # udata datasets paged by next_page.
    http_server.json(
        "/api/1/datasets/",
        {
            "data": [{"id": "u1", "title": "Qualité de l'eau distribuée", "harvest": {"remote_id": "fr-eau-001"}}],
            "next_page": f"{http_server.url}/api/1/datasets/?page=2",
        },
    )
    http_server.json(
        "/api/1/datasets/?page=2", {"data": [{"id": "u2", "title": "Arrêtés sécheresse"}], "next_page": None}
    )
    http_server.json("/api/1/topics/", {"data": [{"name": "Eau", "datasets": [{"id": "u1"}]}], "next_page": None})

    ckan = run(capsys, "harvest", http_server.url, "--kind", "ckan", "--name", "ckan", "--json")
    assert list(ckan) == ["seen", "created", "updated", "unchanged", "archived", "errors"]
    assert (ckan["seen"], ckan["created"]) == (2, 2)
    udata = run(capsys, "harvest", f"{http_server.url}/api/1/", "--kind", "udata", "--name", "udata", "--json")
    assert (udata["seen"], udata["created"], udata["errors"]) == (2, 2, [])
    again = run(capsys, "harvest", f"{http_server.url}/api/1/", "--kind", "udata", "--name", "udata", "--json")
    assert (again["created"], again["unchanged"]) == (0, 2)

    body = run(capsys, "dedup", "--json")
    assert list(body) == ["clusters", "candidates"]
    assert [c["identifier"] for c in body["clusters"]] == ["fr-eau-001"]
    assert body["clusters"][0]["sources"] == [
        {"source": "ckan", "remote_id": "ckan-1"},
        {"source": "udata", "remote_id": "u1"},
    ]
    assert list(body["clusters"][0]) == ["dataset", "identifier", "sources"]


def test_quality_of_a_dcat_file(capsys, tmp_path):
    path = tmp_path / "one.ttl"
    path.write_text(DCAT_PREFIXES + dcat_dataset("https://x.org/d/1", "X-1", "Un jeu"), encoding="utf-8")
    body = run(capsys, "quality", str(path), "--date", "2026-02-01", "--json")
    assert list(body) == ["score", "max", "criteria"]
    assert list(body["criteria"][0]) == ["id", "passed", "advice"]
    failed = {c["id"] for c in body["criteria"] if not c["passed"]}
    # Short description, no temporal coverage, no frequency (so not "respected"), resources undocumented.
    assert failed == {
        "dataset_description_quality",
        "temporal_coverage",
        "update_frequency",
        "update_fulfilled_in_time",
        "resources_documentation",
    }
    assert body["score"] == body["max"] - 5

"""Écosphères pages answer for the public and for an administrator; exports are real DCAT and CSV."""

import pytest
from django.urls import reverse
from rdflib import Graph

from communs.ecospheres import services
from communs.ecospheres.engine.dcat import parse_graph
from tests.ecospheres.builders import DCAT_PREFIXES, dcat_dataset


@pytest.fixture
def harvested(db, tmp_path):
    path = tmp_path / "cat.ttl"
    path.write_text(
        DCAT_PREFIXES + dcat_dataset("https://d.example.org/d/eau-1", "EAU-1", "Qualité de l'eau"), encoding="utf-8"
    )
    source = services.add_source(None, name="test", kind="dcat", url=str(path))
    services.run_harvest(source)
    return source


def test_public_pages_and_exports(client, harvested):
    from communs.ecospheres.models import Dataset

    assert client.get(reverse("ecospheres:home"), {"q": "eau"}).status_code == 200
    dataset = Dataset.objects.get()
    assert client.get(reverse("ecospheres:dataset", args=[dataset.slug])).status_code == 200
    turtle = client.get(reverse("ecospheres:catalogue_export", args=["ttl"]))
    graph = Graph().parse(data=turtle.content, format="turtle")
    assert len(list(graph.subjects())) > 0
    jsonld = client.get(reverse("ecospheres:catalogue_export", args=["jsonld"]))
    assert len(parse_graph(jsonld.content, "json-ld", "export.jsonld")) == len(graph)
    csv = client.get(reverse("ecospheres:catalogue_export", args=["csv"])).content.decode()
    assert csv.splitlines()[1].startswith("eau-1,Qualité de l'eau")
    assert client.get(reverse("ecospheres:sources")).status_code == 302  # login required


def test_admin_runs_harvest_as_a_job(client, harvested, make_user, django_capture_on_commit_callbacks):
    client.force_login(make_user("root", is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ecospheres:harvest_now", args=[harvested.pk]))
    assert response.status_code == 302 and "tache=" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    run = harvested.runs.first()
    assert run.report["unchanged"] == 1
    assert client.get(reverse("ecospheres:harvest_report", args=[run.pk])).status_code == 200


def test_publish_topic_to_a_local_udata(client, harvested, make_user, settings, http_server, territoires_reference):
    admin = make_user("root", is_superuser=True)
    bouquet = services.create_bouquet(admin, title="Eau", use_case="Suivi", level="departement", code="35")
    http_server.json("/api/1/topics/", {"id": "topic-42"}, status=201)
    settings.ECOSPHERES_DATAGOUV_URL = http_server.url
    settings.ECOSPHERES_DATAGOUV_API_KEY = "secret-key"
    assert services.publish_topic(admin, bouquet) == "topic-42"
    request = http_server.requests[-1]
    assert (request["method"], {k.lower(): v for k, v in request["headers"].items()}["x-api-key"]) == (
        "POST",
        "secret-key",
    )
    http_server.json("/api/1/topics/topic-42/", {"id": "topic-42"})
    services.publish_topic(admin, bouquet)
    assert http_server.requests[-1]["method"] == "PUT"

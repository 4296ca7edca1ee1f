"""SIRANo pages and API: public fields for all, establishment scope, administration for the DGOS."""

import pytest
from django.urls import reverse

from communs.sirano.models import Tranche, TrancheState
from tests.sirano.conftest import pdf


def test_public_list_and_project_page_without_login(client, world):
    page = client.get(reverse("sirano:projets"))
    assert page.status_code == 200 and "PHRC-N-2019-0123" in page.content.decode()
    detail = client.get(reverse("sirano:projet", args=["PHRC-N-2019-0123"])).content.decode()
    assert "Pr Martin" in detail  # PHRC-N publishes the investigator
    assert "500\u202f000,00\u00a0€" in detail
    assert "résultats non publiés dans un registre" in detail.lower()
    other = client.get(reverse("sirano:projet", args=["PREPS-2020-0007"])).content.decode()
    assert "Dr Durand" in other  # PREPS publishes it too
    assert "Identifiants d'origine" not in detail


def test_establishment_sees_only_its_projects(client, world):
    client.force_login(world["member"])
    page = client.get(reverse("sirano:etablissement")).content.decode()
    assert "PHRC-N-2019-0123" in page and "PREPS-2020-0007" not in page
    nantes_tranche = world["nantes_project"].tranches.get(rank=1)
    assert client.get(reverse("sirano:demande", args=[nantes_tranche.pk])).status_code == 403
    assert client.get(reverse("sirano:administration")).status_code == 403


def test_request_form_refuses_a_missing_document_then_accepts(client, world):
    client.force_login(world["member"])
    t1 = world["project"].tranches.get(rank=1)
    url = reverse("sirano:demande", args=[t1.pk])
    refused = client.post(url, {"demande-reached_on": "2019-12-15"})
    assert "Lettre de notification" in refused.content.decode() and "Demande refusée" in refused.content.decode()
    accepted = client.post(url, {"demande-reached_on": "2019-12-15", "demande-piece_lettre_notification": pdf()})
    assert accepted.status_code == 302
    assert Tranche.objects.get(pk=t1.pk).state == TrancheState.SUBMITTED


def test_administration_queue_and_decisions(client, world):
    client.force_login(world["member"])
    t1 = world["project"].tranches.get(rank=1)
    client.post(
        reverse("sirano:demande", args=[t1.pk]),
        {"demande-reached_on": "2019-12-15", "demande-piece_lettre_notification": pdf()},
    )
    client.force_login(world["admin"])
    queue = client.get(reverse("sirano:administration")).content.decode()
    assert "PHRC-N-2019-0123" in queue
    client.post(reverse("sirano:decision", args=[t1.pk]), {"decision-decision": "refuser", "decision-reason": ""})
    assert Tranche.objects.get(pk=t1.pk).state == TrancheState.SUBMITTED  # reason mandatory
    client.post(reverse("sirano:decision", args=[t1.pk]), {"decision-decision": "valider"})
    assert Tranche.objects.get(pk=t1.pk).state == TrancheState.VALIDATED
    dashboards = client.get(reverse("sirano:tableaux"))
    assert dashboards.status_code == 200 and "<svg" in dashboards.content.decode()


@pytest.mark.parametrize(
    ("user", "expected"), [("member", {"PHRC-N-2019-0123"}), ("admin", {"PHRC-N-2019-0123", "PREPS-2020-0007"})]
)
def test_api_is_scoped(client, world, user, expected):
    client.force_login(world[user])
    body = client.get("/api/sirano/projets").json()
    assert {p["identifier"] for p in body} == expected
    if user == "member":
        assert client.get("/api/sirano/projets/PREPS-2020-0007").status_code == 404
        assert client.get("/api/sirano/demandes").status_code == 403
    else:
        assert body[0]["tranches"][1]["amount"] in {"150000.00", "60000.00"}


def test_open_data_downloads(client, world):
    for name in (
        "sirano-projets.csv",
        "sirano-projets.parquet",
        "sirano-projets.schema.json",
        "sirano-360giving.json",
    ):
        assert client.get(reverse("sirano:open_data_file", args=[name])).status_code == 200
    assert client.get(reverse("sirano:open_data_file", args=["autre.csv"])).status_code == 404


def test_territory_panel_lists_the_projects_of_the_communes_establishments(client, territoires_reference, world):
    html = client.get(reverse("territoires:territory", kwargs={"level": "commune", "code": "35238"})).content.decode()
    assert "Recherche en santé financée" in html
    assert "PHRC-N-2019-0123" in html and "PREPS-2020-0007" not in html  # Nantes is elsewhere
    assert "Pr Martin" not in html  # public fields only


def test_evidence_is_downloaded_by_the_dgos_and_audited_but_not_by_another_establishment(client, world):
    from communs.core.models import AuditEvent

    client.force_login(world["member"])
    t1 = world["project"].tranches.get(rank=1)
    client.post(
        reverse("sirano:demande", args=[t1.pk]),
        {"demande-reached_on": "2019-12-15", "demande-piece_lettre_notification": pdf("lettre.pdf")},
    )
    client.force_login(world["admin"])
    queue = client.get(reverse("sirano:administration")).content.decode()
    assert "lettre.pdf" in queue
    evidence = t1.project.milestones.get(kind="notification").evidence.get()
    response = client.get(reverse("sirano:piece", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="sirano.evidence.view", actor=world["admin"]).count() == 1
    client.force_login(world["other"])
    assert client.get(reverse("sirano:piece", args=[evidence.pk])).status_code == 403

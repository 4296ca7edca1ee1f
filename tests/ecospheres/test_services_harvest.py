"""Harvest → dedup → search, against a real pycsw on loopback and DCAT files (acceptance of issue 13)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communs.ecospheres import selectors, services
from communs.ecospheres.engine import bouquets as rules
from communs.ecospheres.engine.fetch import HarvestError
from communs.ecospheres.models import Dataset, DuplicateCandidate, HarvestRun, SourceRecord
from tests.ecospheres.builders import DCAT_PREFIXES, dcat_dataset

pytestmark = pytest.mark.django_db

DCAT = (
    DCAT_PREFIXES
    + dcat_dataset(
        "https://data.example.org/dataset/fr-eau-001",
        "https://data.example.org/dataset/fr-eau-001",
        "Qualité de l'eau distribuée",
        publisher="Eau du Bassin Rennais",
        modified="2026-01-15",
    )
    + dcat_dataset(
        "https://data.example.org/dataset/dcat-zan-9",
        "DCAT-ZAN-9",
        "Consommation d'espaces naturels agricoles et forestiers",
        publisher="Cerema",
    )
)


@pytest.fixture
def dcat_file(tmp_path):
    path = tmp_path / "catalogue.ttl"
    path.write_text(DCAT, encoding="utf-8")
    return path


def test_same_dataset_from_dcat_and_csw_is_one_dataset_and_rerun_changes_nothing(csw_server, dcat_file):
    dcat = services.add_source(None, name="data.example.org", kind="dcat", url=str(dcat_file))
    csw = services.add_source(None, name="geo.example.org", kind="csw", url=csw_server.url)
    first = services.run_harvest(dcat)
    assert (first["seen"], first["created"]) == (2, 2)
    second = services.run_harvest(csw)
    assert (second["seen"], second["created"], second["errors"]) == (60, 60, [])

    clusters = selectors.clusters()
    assert len(clusters) == 1
    # "https://…/dataset/fr-eau-001" (DCAT) and "FR-EAU-001" (ISO fileIdentifier) normalise alike.
    assert clusters[0]["identifier"] == "fr-eau-001"
    assert clusters[0]["sources"] == [
        {"source": "data.example.org", "remote_id": "https://data.example.org/dataset/fr-eau-001"},
        {"source": "geo.example.org", "remote_id": "FR-EAU-001"},
    ]
    merged = Dataset.objects.get(identifier="fr-eau-001")
    # The CSW record is the freshest (2026-02-01 > 2026-01-15): display fields come from it.
    assert merged.field_sources["publisher"] == "geo.example.org"
    assert merged.publisher == "ARS Bretagne"
    assert len(merged.distributions) == 1  # same URL in both sources, merged
    assert merged.distributions[0]["sources"] == ["geo.example.org", "data.example.org"]

    # Near-same title, other identifier, other publisher: a candidate only, not merged.
    candidates = list(DuplicateCandidate.objects.all())
    assert len(candidates) == 1
    assert {candidates[0].a.identifier, candidates[0].b.identifier} == {"dcat-zan-9", "fr-zan-002"}
    assert 0.9 <= candidates[0].score <= 1  # same words once punctuation is dropped
    assert Dataset.objects.filter(live=True).count() == 61  # 62 records, one pair merged

    before = list(Dataset.objects.order_by("pk").values_list("pk", "content_hash", "updated_at"))
    again = [services.run_harvest(dcat), services.run_harvest(csw)]
    assert [(r["created"], r["updated"], r["unchanged"], r["archived"]) for r in again] == [
        (0, 0, 2, 0),
        (0, 0, 60, 0),
    ]
    assert list(Dataset.objects.order_by("pk").values_list("pk", "content_hash", "updated_at")) == before
    assert DuplicateCandidate.objects.count() == 1


def test_csw_pages_of_25_take_three_requests_and_an_exception_report_keeps_the_previous_run(csw_server):
    source = services.add_source(None, name="geo", kind="csw", url=csw_server.url)
    already = len(csw_server.requests())
    report = services.run_harvest(source, page_size=25)
    assert report["seen"] == 60
    assert csw_server.requests()[already:] == ["POST /csw"] * 3  # 1–25, 26–50, 51–60

    stored = SourceRecord.objects.filter(source=source).count()
    source.url = csw_server.broken_url
    source.save()
    with pytest.raises(HarvestError, match="ExceptionReport.*Invalid typeNames"):
        services.run_harvest(source)
    run = HarvestRun.objects.filter(source=source).first()
    assert run.status == HarvestRun.Status.FAILED and "Invalid typeNames" in run.error
    assert (
        SourceRecord.objects.filter(source=source, archived_at__isnull=True, missing_since__isnull=True).count()
        == stored
    )


def test_candidate_decision_survives_reharvest(dcat_file, tmp_path, make_user):
    other = tmp_path / "other.ttl"
    other.write_text(
        DCAT_PREFIXES
        + dcat_dataset(
            "https://geo.example.org/zan",
            "GEO-ZAN",
            "Consommation d'espaces naturels, agricoles et forestiers",
            publisher="DDTM 35",
        ),
        encoding="utf-8",
    )
    admin = make_user("admin", is_superuser=True)
    a = services.add_source(None, name="a", kind="dcat", url=str(dcat_file))
    b = services.add_source(None, name="b", kind="dcat", url=str(other))
    services.run_harvest(a)
    services.run_harvest(b)
    candidate = DuplicateCandidate.objects.get()
    services.decide_candidate(admin, candidate, DuplicateCandidate.Status.REJECTED)
    services.run_harvest(a)
    services.run_harvest(b)
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.REJECTED
    services.decide_candidate(admin, DuplicateCandidate.objects.get(), DuplicateCandidate.Status.CONFIRMED)
    services.run_harvest(b)
    assert len(selectors.clusters()) == 1  # confirmed: one dataset with both sources, kept after re-harvest


def test_bouquet_counts_feed_and_deleted_at_source(dcat_file, make_user, territoires_reference):
    user = make_user("editrice", is_superuser=True)
    source = services.add_source(None, name="data", kind="dcat", url=str(dcat_file))
    services.run_harvest(source)
    eau = Dataset.objects.get(identifier="fr-eau-001")
    bouquet = services.create_bouquet(
        user, title="Eau potable", use_case="Suivi de l'eau", level="departement", code="35"
    )
    follower = make_user("suiveur")
    bouquet.followers.add(follower)
    services.add_item(user, bouquet, purpose="Contrôler la qualité", dataset=eau, availability=rules.AVAILABLE)
    services.add_item(
        user,
        bouquet,
        title="Carte des captages",
        purpose="Localiser",
        url="https://x.org/c",
        availability=rules.LINK_ONLY,
    )
    missing = services.add_item(
        user, bouquet, title="Consommations par commune", purpose="Bilan", availability=rules.MISSING
    )
    services.set_status(user, bouquet, "publié")
    counts = selectors.bouquet_counts(bouquet)
    assert (counts["disponible"], counts["lien seulement"], counts["manquante"]) == (1, 1, 1)
    assert missing in selectors.missing_items()

    # The source deletes the dataset: the item turns "supprimée à la source", purpose kept.
    dcat_file.write_text(
        DCAT_PREFIXES + dcat_dataset("https://data.example.org/dataset/dcat-zan-9", "DCAT-ZAN-9", "ZAN"),
        encoding="utf-8",
    )
    report = services.run_harvest(source)
    assert report["archived"] == 0  # inside the 7-day grace period: marked missing, not archived
    item = bouquet.items.get(dataset=eau)
    assert (item.availability, item.purpose) == (rules.DELETED, "Contrôler la qualité")
    assert follower.pk in set(bouquet.followers.values_list("pk", flat=True))
    assert any("supprimée à la source" in n.message for n in selectors.notifications(follower))
    later = services.run_harvest(source, now=timezone.now() + timedelta(days=8))
    assert later["archived"] == 1


def test_clone_keeps_items_for_another_territory(dcat_file, make_user, territoires_reference):
    user = make_user("admin", is_superuser=True)
    bouquet = services.create_bouquet(
        user, title="ZAN", use_case="Zéro artificialisation nette", level="epci", code="243500139"
    )
    services.add_item(user, bouquet, title="Fichiers fonciers", purpose="Mesurer", availability=rules.MISSING)
    copy = services.clone_bouquet(user, bouquet, level="departement", code="35")
    assert (copy.territory_name, copy.status, copy.items.get().purpose) == ("Ille-et-Vilaine", "brouillon", "Mesurer")


def test_search_stems_synonyms_and_facets(dcat_file):
    services.run_harvest(services.add_source(None, name="data", kind="dcat", url=str(dcat_file)))
    eau = Dataset.objects.get(identifier="fr-eau-001")
    eau.search_text += " potabl"  # the ISO description says "potabilité"; here only the DCAT source
    result = selectors.search("eau potable")
    assert result.total == 0
    Dataset.objects.filter(pk=eau.pk).update(search_text=eau.search_text)
    result = selectors.search("eau potable")
    assert [d.title for d in result.datasets] == ["Qualité de l'eau distribuée"]
    everything = selectors.search("")
    assert {f.value: f.count for f in everything.facets["producteur"]} == {"Cerema": 1, "Eau du Bassin Rennais": 1}
    assert {f.value: f.count for f in everything.facets["format"]} == {"CSV": 2}
    narrowed = selectors.search("", {"producteur": ["Cerema"]})
    assert narrowed.total == 1 and {f.value: f.count for f in narrowed.facets["format"]} == {"CSV": 1}


def test_eau_potable_finds_potabilite_in_description(csw_server):
    services.run_harvest(services.add_source(None, name="geo", kind="csw", url=csw_server.url))
    result = selectors.search("eau potable")
    assert [d.title for d in result.datasets] == ["Qualité de l'eau distribuée"]
    assert selectors.search("EAU POTABLE").total == 1  # case and accents do not matter
    assert {f.value: f.count for f in result.facets["source"]} == {"geo": 1}

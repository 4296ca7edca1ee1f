"""The vendored reference file and its validator (no database)."""

import copy
import gzip
import json

import pytest

from communs.territoires.engine.reference import (
    ARRONDISSEMENT_MUNICIPAL,
    REFERENCE_FILE,
    ReferenceFileError,
    parse_reference,
    read_reference,
)


@pytest.fixture(scope="module")
def reference():
    return read_reference()


@pytest.fixture(scope="module")
def raw_payload():
    with gzip.open(REFERENCE_FILE, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def test_vendored_file_is_small_and_documented():
    assert REFERENCE_FILE.stat().st_size < 2_000_000
    assert (REFERENCE_FILE.parent / "SOURCE.md").exists()


def test_meta_names_source_and_licence(reference):
    assert reference.meta["package"] == "@etalab/decoupage-administratif"
    assert reference.meta["version"] == "6.0.0"
    assert reference.meta["licence"] == "MIT"
    assert reference.meta["source"].startswith("https://")
    assert reference.meta["generated"]


def test_counts(reference):
    # 26 régions (18 + 8 collectivités d'outre-mer listed by the package), 109 départements,
    # 34 969 communes actuelles + 45 arrondissements municipaux.
    assert reference.counts() == {"regions": 26, "departements": 109, "epci": 1255, "communes": 35014}


def test_arrondissements_municipaux_have_their_commune(reference):
    arrondissements = [c for c in reference.communes if c.kind == ARRONDISSEMENT_MUNICIPAL]
    assert len(arrondissements) == 45  # 20 Paris + 9 Lyon + 16 Marseille
    assert {c.parent for c in arrondissements} == {"75056", "69123", "13055"}


def test_epci_membership(reference):
    assert reference.epci_of_commune["35238"] == "243500139"  # Rennes → Rennes Métropole


def test_saint_etienne_record(reference):
    commune = next(c for c in reference.communes if c.code == "42218")
    assert commune.nom == "Saint-Étienne"
    assert commune.departement == "42"
    assert "42000" in commune.postcodes


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: p.pop("communes"), "bloc « communes » absent"),
        (lambda p: p["departements"][0].update(region="00"), "région inconnue « 00 »"),
        (lambda p: p["communes"][0].update(code="ABCDE"), "code INSEE invalide"),
        (lambda p: p["communes"][0].update(codesPostaux=["4200"]), "code postal invalide « 4200 »"),
        (lambda p: p["communes"][0].pop("nom"), "champ « nom » manquant"),
        (lambda p: p["communes"][1].update(code=p["communes"][0]["code"]), "code en double"),
        (lambda p: p["epci"][0]["membres"].append("99999"), "commune membre inconnue « 99999 »"),
    ],
)
def test_validation_names_the_fault(raw_payload, mutate, message):
    payload = copy.deepcopy(raw_payload)
    mutate(payload)
    with pytest.raises(ReferenceFileError, match=message):
        parse_reference(payload, source="test.json")


def test_unreadable_file_names_the_file(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ReferenceFileError, match="broken.json: fichier illisible"):
        read_reference(broken)
    with pytest.raises(ReferenceFileError, match="fichier introuvable"):
        read_reference(tmp_path / "absent.json.gz")

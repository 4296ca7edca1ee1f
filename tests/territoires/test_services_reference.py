"""load_reference: idempotent, updates what changed, and the parents are wired."""

import pytest

from communs.territoires.models import Commune, CommuneKind, Departement, Epci, Region
from communs.territoires.services import load_reference

pytestmark = pytest.mark.usefixtures("territoires_reference")


def test_loading_again_changes_nothing():
    result = load_reference()
    for level, total in {"regions": 26, "departements": 109, "epci": 1255, "communes": 35014}.items():
        assert result[level] == {"created": 0, "updated": 0, "unchanged": total, "obsolete": 0}
    assert Commune.objects.count() == 35014
    assert Region.objects.count() == 26
    assert Departement.objects.count() == 109
    assert Epci.objects.count() == 1255


def test_loading_restores_changed_names_and_populations():
    Commune.objects.filter(code="42218").update(nom="Saint-Étienne modifiée", population=1)
    Epci.objects.filter(code="243500139").update(nom="Autre nom")
    result = load_reference()
    assert result["communes"]["updated"] == 1
    assert result["epci"]["updated"] == 1
    commune = Commune.objects.get(code="42218")
    assert (commune.nom, commune.population) == ("Saint-Étienne", 173136)
    assert Epci.objects.get(code="243500139").nom == "Rennes Métropole"


def test_rennes_parents():
    rennes = Commune.objects.select_related("epci", "departement", "region").get(code="35238")
    assert rennes.epci.code == "243500139"
    assert rennes.epci.nom == "Rennes Métropole"
    assert rennes.departement.code == "35"
    assert rennes.region.code == "53"
    assert rennes.postcodes == " 35000 35200 35700 "  # spaces around each code for whole-code matching
    assert rennes.search_name == "rennes"


def test_arrondissements_point_to_their_commune():
    paris_1er = Commune.objects.get(code="75101")
    assert paris_1er.kind == CommuneKind.ARRONDISSEMENT
    assert paris_1er.parent_id == "75056"
    assert Commune.objects.filter(parent_id="13055").count() == 16  # Marseille

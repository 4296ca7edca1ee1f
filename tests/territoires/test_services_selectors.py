"""Search and lookups on the loaded reference (rules in the selectors module docstring)."""

import pytest

from communs.territoires import selectors

pytestmark = pytest.mark.usefixtures("territoires_reference")


@pytest.mark.parametrize(
    "query", ["saint etienne", "St-Etienne", "SAINT-ÉTIENNE", "st étienne", "Saint-Étienne (42218)"]
)
def test_saint_etienne_first(query):
    assert selectors.search_communes(query, 5)[0].code == "42218"


def test_prefix_matches_after_exact_match():
    codes = [c.code for c in selectors.search_communes("saint etienne", 5)]
    # Saint-Étienne-du-Rouvray (76575, 29 518 inhabitants) is the largest prefix match.
    assert codes[:2] == ["42218", "76575"]


def test_insee_code():
    assert [c.code for c in selectors.search_communes("75056")] == ["75056"]
    assert [c.code for c in selectors.search_communes("2a004")] == ["2A004"]  # Ajaccio, case-insensitive


def test_postcode():
    assert [c.code for c in selectors.search_communes("42000")] == ["42218"]


def test_postcode_of_an_arrondissement_lists_the_commune_first():
    assert [c.code for c in selectors.search_communes("75001")] == ["75056", "75101"]


def test_words_must_start_words():
    names = [c.nom for c in selectors.search_communes("rennes", 20)]
    assert names[0] == "Rennes"
    assert not any("Marennes" in name for name in names)


def test_empty_query():
    assert selectors.search_communes("  ") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("35238", "35238"),
        ("Rennes", "35238"),  # the only commune named exactly Rennes
        ("Rennes (35238)", "35238"),
        ("42000", "42218"),  # postcode of a single commune
        ("75001", "75056"),  # arrondissements aside, 75001 is Paris
        ("Saint-Denis", None),  # several communes: ambiguous
        ("35000 Nowhere", None),
    ],
)
def test_resolve_commune(text, code):
    commune = selectors.resolve_commune(text)
    assert (commune.code if commune else None) == code


def test_search_territories_levels():
    hits = selectors.search_territories("bretagne", limit=3)
    assert (hits[0].level, hits[0].code) == ("region", "53")
    epci = selectors.search_territories("rennes", ["epci"])
    assert [(h.level, h.code) for h in epci] == [("epci", "243500139")]
    assert selectors.search_territories("35", ["departement"])[0].code == "35"


def test_parent_and_child_lookups():
    assert {d.code for d in selectors.departements_of_region("53")} == {"22", "29", "35", "56"}
    assert selectors.communes_of_departement("35").filter(code="35238").exists()
    assert not selectors.communes_of_departement("75").filter(code="75101").exists()  # arrondissements aside
    assert selectors.members_of_epci("243500139").filter(code="35238").exists()
    assert selectors.get_departement("35").communes_count == 332

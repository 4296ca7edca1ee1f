"""Reading Base Empreinte exports (both separators, decimal comma, Latin-1 / UTF-8) and the starter set."""

import pytest

from communs.bascarbone.engine.factors import FactorFileError, load_starter_set, read_base_empreinte
from communs.bascarbone.engine.inventory import ActivityLine, compute_inventory
from tests.bascarbone.paths import DATA

EXCERPTS = ["base_empreinte_extrait_pointvirgule_latin1.csv", "base_empreinte_extrait_virgule_utf8.csv"]


@pytest.mark.parametrize("name", EXCERPTS)
def test_excerpt_reads_elements_and_skips_decomposition_rows(name):
    factors = read_base_empreinte((DATA / name).read_bytes(), filename=name)
    # 6 rows: 5 "Elément" + 1 "Poste" (decomposition of 14015) that is not a factor.
    assert sorted(factors.factors) == ["14015", "15591", "20522", "28026", "37522"]
    diesel = factors.get("14015")
    assert diesel.total == pytest.approx(3.16)  # "3,16" (decimal comma) or "3.16"
    assert (diesel.co2, diesel.n2o, diesel.co2b) == pytest.approx((2.51, 0.019, 0.15))
    assert diesel.uncertainty == pytest.approx(0.05)  # Incertitude 5 → ±5 %
    assert diesel.unit == "kgCO2e/litre"
    assert diesel.name == "Gazole routier – France continentale"
    assert diesel.year == 2023
    assert factors.get("15591").name == "Electricité - 2022 – mix moyen – consommation"


@pytest.mark.parametrize("name", EXCERPTS)
def test_excerpt_keeps_status_and_natural_gas_ratio(name):
    factors = read_base_empreinte((DATA / name).read_bytes(), filename=name)
    assert factors.get("20522").archived
    assert not factors.get("14015").archived
    assert factors.get("37522").pcs_pci_ratio == pytest.approx(0.901)


def test_both_variants_give_the_same_factors():
    latin, utf8 = (read_base_empreinte((DATA / name).read_bytes()) for name in EXCERPTS)
    assert latin.factors == utf8.factors


def test_imported_factors_compute_the_acceptance_case():
    factors = read_base_empreinte((DATA / EXCERPTS[0]).read_bytes(), version="v23.4")
    result = compute_inventory(
        [ActivityLine("1.2", "14015", 1000, "L"), ActivityLine("2.1", "15591", 10000, "kWh")], factors
    )
    # 3160 + 520 = 3680 kg ± sqrt(158² + 52²) = 166.3 kg; the result records the version.
    assert result.total.total_kg == pytest.approx(3680.0)
    assert result.total.uncertainty_kg == pytest.approx(166.34, abs=0.01)
    assert result.factor_version == "v23.4"


def test_bad_rows_are_all_reported_and_nothing_is_imported():
    text = (
        "Type_Ligne;Identifiant_de_l'élément;Nom_base_français;Unité_français;Total_poste_non_décomposé;Incertitude\n"
        "Elément;1;Gazole;kgCO2e/litre;3,16;5\n"
        "Elément;2;Essence;kgCO2e/litre;beaucoup;5\n"
        "Elément;1;Doublon;kgCO2e/litre;1;5\n"
        "Elément;3;Sans valeur;kgCO2e/litre;;5\n"
    ).encode("latin-1")
    with pytest.raises(FactorFileError) as error:
        read_base_empreinte(text, filename="base.csv")
    lines = [(e.line, e.column) for e in error.value.errors]
    assert lines == [
        (3, "Total_poste_non_décomposé"),
        (4, "Identifiant_de_l'élément"),
        (5, "Total_poste_non_décomposé"),
    ]
    assert "base.csv" in str(error.value)


def test_missing_column_is_named():
    with pytest.raises(FactorFileError, match="Unité_français"):
        read_base_empreinte(
            b"Identifiant_de_l'\xe9l\xe9ment;Nom_base_fran\xe7ais;Total_poste_non_d\xe9compos\xe9\n1;a;2\n"
        )


def test_headers_with_spaces_are_accepted():
    text = (
        "Identifiant de l'élément;Nom base français;Unité français;Total poste non décomposé\n9;Test;kgCO2e/kg;1,5\n"
    )
    assert read_base_empreinte(text.encode("utf-8")).get("9").total == pytest.approx(1.5)


def test_starter_set_has_source_and_year_for_every_factor():
    starter = load_starter_set()
    assert 40 <= len(starter) <= 50
    for factor in starter.factors.values():
        assert factor.source, factor.id
        assert factor.post, factor.id
        assert factor.year or factor.gas, factor.id  # refrigerants take their value from the GWP table
    assert starter.get("gazole-routier").total == pytest.approx(3.16)
    assert starter.get("electricite-france").total == pytest.approx(0.052)

"""Activity files: generic template, fuel cards, building energy, travel; row-level reports."""

import io

import openpyxl
import pytest

from communs.bascarbone.engine.factors import load_starter_set
from communs.bascarbone.engine.imports import ActivityFileError, check_lines, read_activities
from communs.bascarbone.engine.travel import band_for, great_circle_km
from tests.bascarbone.paths import DATA

STARTER = load_starter_set()


def _read(name, **kwargs):
    return read_activities((DATA / name).read_bytes(), name, **kwargs)


def test_generic_template():
    result = _read("activites_acceptation.csv")
    assert result.format == "generic"
    assert result.ok
    assert [
        (line.entity, line.post, line.factor_id, line.quantity, line.unit, line.line) for line in result.lines
    ] == [
        ("prefecture-35", "1.2", "gazole-routier", 1000.0, "L", 2),
        ("prefecture-35", "2.1", "electricite-france", 10000.0, "kWh", 3),
    ]


def test_fuel_cards_latin1_semicolon_decimal_comma_with_row_errors():
    result = _read("cartes_carburant.csv", default_entity="prefecture-35")
    assert result.format == "fuel_cards"
    assert [(line.factor_id, line.quantity, line.post) for line in result.lines] == [
        ("gazole-routier", 45.2, "1.2"),  # "45,20" decimal comma
        ("essence-e10", 30.5, "1.2"),
    ]
    assert [(error.line, error.column) for error in result.errors] == [(4, "Carburant"), (5, "Litres")]
    assert "Kérosène" in result.errors[0].message
    assert not result.ok


def test_building_energy_defaults_gas_to_pcs():
    result = _read("energie_batiments.csv")
    assert result.ok
    assert [(line.post, line.factor_id, line.quantity, line.unit) for line in result.lines] == [
        ("2.1", "electricite-france", 120000.0, "kWh"),
        ("1.1", "gaz-naturel", 80000.0, "kWh PCS"),
        ("1.1", "fioul-domestique", 2000.0, "L"),
        ("2.2", "reseau-chaleur", 15000.0, "MWh"),
    ]
    assert check_lines(result.lines, STARTER) == []


def test_travel_by_great_circle_and_band():
    result = _read("deplacements.csv")
    assert result.format == "travel"
    first, second, third = result.lines
    # Rennes → Paris Montparnasse: 305.5 km great circle, round trip × 2 = 611.0 km,
    # 2 travellers → 1222.0 p.km, TGV (> 200 km).
    assert first.factor_id == "train-tgv"
    assert first.quantity == pytest.approx(2 * 2 * 305.503, rel=1e-4)
    # Rennes → Marseille: 745.3 km, one way, < 1000 km → short-haul plane.
    assert (second.factor_id, second.unit) == ("avion-court", "p.km")
    assert second.quantity == pytest.approx(745.32, rel=1e-4)
    # Rennes → Saint-Malo: 65.2 km < 200 km → TER.
    assert third.factor_id == "train-ter"
    assert [(error.line, error.column) for error in result.errors] == [(5, "origine_lat")]


@pytest.mark.parametrize(
    ("mode", "distance", "factor"),
    [
        ("avion", 999, "avion-court"),
        ("avion", 1000, "avion-court"),
        ("avion", 1001, "avion-moyen"),
        ("avion", 3501, "avion-long"),
        ("train", 150, "train-ter"),
        ("TGV", 450, "train-tgv"),
        ("voiture", 50, "voiture-thermique"),
    ],
)
def test_distance_bands(mode, distance, factor):
    assert band_for(mode, distance).factor_id == factor


def test_paris_lyon_great_circle():
    # Paris (48.8566, 2.3522) → Lyon (45.7640, 4.8357): ≈ 391.5 km, the commonly quoted 392 km.
    assert great_circle_km(48.8566, 2.3522, 45.7640, 4.8357) == pytest.approx(391.5, abs=0.5)


def test_xlsx_generic_with_quality_scores():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Poste", "Facteur", "Quantité", "Unité", "Scores qualité", "Libellé"])
    sheet.append(["4.2", "ordinateur-portable", 10, "unité", "2,3,4,1,5", "Renouvellement"])
    sheet.append(["4.2", "ordinateur-portable", None, "unité", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_activities(buffer.getvalue(), "activites.xlsx")
    assert result.format == "generic"
    assert result.lines[0].activity_uncertainty == pytest.approx(0.7839, abs=1e-3)  # pedigree (2,3,4,1,5)
    assert [(error.line, error.column, error.message) for error in result.errors] == [
        (3, "Quantité", "valeur absente")
    ]


def test_check_lines_against_factors_names_each_row():
    text = "post,factor_id,quantity,unit\n1.2,gazole-routier,10,kWh\n1.2,inconnu,1,L\n8.1,gazole-routier,1,L\n"
    result = read_activities(text.encode(), "a.csv")
    errors = check_lines(result.lines, STARTER)
    assert [(e.line, e.column) for e in errors] == [(2, "unit"), (3, "factor_id"), (4, "post")]


def test_unknown_format():
    with pytest.raises(ActivityFileError, match="format non reconnu"):
        read_activities(b"a,b\n1,2\n", "x.csv")


def test_v4_inventory_posts_are_mapped_to_v5():
    text = (
        "poste_v4;facteur;quantite;unite\n"
        "2;gazole-routier;100;L\n13;train-tgv;500;p.km\n9;papier;10;kg\n30;papier;1;kg\n"
    )
    result = read_activities(text.encode(), "bilan_v4.csv")
    # v4 post 2 (mobile combustion) → 1.2 ; 13 (business travel) → 3.5 ; 9 (purchases) → 4.1 ; 30 does not exist.
    assert [line.post for line in result.lines] == ["1.2", "3.5", "4.1"]
    assert [(error.line, error.column) for error in result.errors] == [(5, "poste_v4")]

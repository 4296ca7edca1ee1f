"""Lunatic import: located schema errors, and INSEE's own files."""

import json

import pytest

from communs.recensmart.engine.lunatic import load_lunatic, read_lunatic
from communs.recensmart.engine.model import SchemaError
from tests.recensmart.helpers import MENAGE, needs_shared, shared


def _document():
    return json.loads(MENAGE.read_text(encoding="utf-8"))


def test_own_fixture_imports():
    questionnaire = read_lunatic(MENAGE)
    assert questionnaire.id == "menage-demo"
    types = [c.type for c in questionnaire.walk()]
    assert types.count("Loop") == 2
    assert "PairwiseLinks" in types
    assert questionnaire.warnings == []


def test_unknown_component_type_is_an_error_with_its_location():
    document = _document()
    document["components"][2]["componentType"] = "Slider"
    with pytest.raises(SchemaError) as info:
        load_lunatic(document, "menage.json")
    assert "components[2] (id surface) : componentType : type de composant inconnu « Slider »" in info.value.errors
    assert str(info.value).startswith("menage.json : 1 erreur(s)")


def test_nested_errors_point_at_component_and_field():
    document = _document()
    document["components"][5]["components"][0]["conditionFilter"]["value"] = "PRENOM = "
    del document["components"][1]["options"]
    document["components"][3]["controls"][0]["criticality"] = "FATAL"
    with pytest.raises(SchemaError) as info:
        load_lunatic(document, "menage.json")
    errors = info.value.errors
    assert any(
        e.startswith("components[5].components[0] (id prenom) : conditionFilter : expression VTL invalide")
        for e in errors
    )
    assert "components[1] (id jardin) : options : une question à choix doit avoir des modalités" in errors
    assert any(e.startswith("components[3] (id pieces).controls[0] : criticality") for e in errors)
    assert len(errors) == 3


def test_not_json_is_located(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"components": [\n  {"id": }\n]}', encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        read_lunatic(bad)
    assert info.value.errors[0].startswith("ligne 2, colonne 10")


def test_missing_components():
    with pytest.raises(SchemaError) as info:
        load_lunatic({"variables": []}, "vide.json")
    assert info.value.errors == ["components : liste de composants manquante ou vide"]


def test_cleaning_is_derived_from_filters():
    document = _document()
    del document["cleaning"]
    questionnaire = load_lunatic(document)
    # SURFJARDIN is asked only when JARDIN = "1": changing JARDIN may erase it.
    assert questionnaire.cleaning["JARDIN"]["SURFJARDIN"] == '(JARDIN = "1")'


@needs_shared
@pytest.mark.parametrize(
    ("name", "variables", "warnings"),
    [
        ("recensement.json", 198, 3),  # two $…$ placeholders, one missing external list
        ("simpsons.json", 142, 1),  # one broken calculated expression
        ("cleaning.json", 2, 0),
        ("controls-simple.json", 13, 0),
        ("resizing.json", 13, 0),
        ("loop-roster.json", 2, 0),
        ("loop-paginated.json", 2, 0),
        ("pairwise.json", 7, 0),
    ],
)
def test_insee_files_import(name, variables, warnings):
    questionnaire = read_lunatic(shared(name))
    assert len(questionnaire.variables) == variables
    assert len(questionnaire.warnings) == warnings


@needs_shared
def test_census_structure():
    questionnaire = read_lunatic(shared("recensement.json"))
    types = [c.type for c in questionnaire.walk()]
    assert types.count("Radio") == 40
    assert types.count("Input") == 32
    assert {"Loop", "Roundabout", "PairwiseLinks", "Suggester"} <= set(types)
    pairwise = questionnaire.component("pairwise-links")
    assert pairwise.sym_links["LINKS"]["1"] == "1"
    assert pairwise.sym_links["LINKS"]["2"] == "3"
    assert any("L_DEPNAIS-1-1-0" in w and "absente" in w for w in questionnaire.warnings)

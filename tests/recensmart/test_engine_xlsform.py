"""XLSForm import: relevant, constraint, calculation, repeats, located errors."""

import datetime as dt

import openpyxl
import pytest

from communs.recensmart.engine.model import SchemaError
from communs.recensmart.engine.runtime import simulate
from communs.recensmart.engine.xlsform import read_xlsform, translate

TODAY = dt.date(2026, 11, 29)
SURVEY = [
    (
        "type",
        "name",
        "label",
        "relevant",
        "constraint",
        "constraint_message",
        "calculation",
        "repeat_count",
        "required",
    ),
    ("select_one oui_non", "jardin", "Avez-vous un jardin ?", "", "", "", "", "", "yes"),
    (
        "integer",
        "surface",
        "Surface du jardin (m²)",
        "${jardin} = 'oui'",
        ". >= 0 and . <= 5000",
        "Entre 0 et 5000",
        "",
        "",
        "",
    ),
    ("integer", "nb", "Nombre d'habitants", "", ". > 0", "Au moins une personne", "", "", ""),
    ("begin repeat", "habitants", "Habitants", "", "", "", "", "${nb}", ""),
    ("text", "prenom", "Prénom", "", "", "", "", "", ""),
    ("integer", "age", "Âge", "", ". < 130", "Âge improbable", "", "", ""),
    ("end repeat", "", "", "", "", "", "", "", ""),
    ("calculate", "total_age", "", "", "", "", "sum(${age})", "", ""),
    ("begin group", "fin", "Pour finir", "${nb} > 1", "", "", "", "", ""),
    ("text", "remarque", "Une remarque ?", "", "", "", "", "", ""),
    ("end group", "", "", "", "", "", "", "", ""),
]
CHOICES = [("list_name", "name", "label"), ("oui_non", "oui", "Oui"), ("oui_non", "non", "Non")]


def _workbook(tmp_path, survey=SURVEY, choices=CHOICES):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    choices_sheet = workbook.create_sheet("choices")
    for row in choices:
        choices_sheet.append(list(row))
    path = tmp_path / "menage.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("xpath", "vtl_text"),
    [
        ("${a} = 'oui'", "a = 'oui'"),
        (". >= 0 and . <= 10", "x >= 0 and x <= 10"),
        ("${a} != 2", "a <> 2"),
        ("not(${a} > 2)", "not(a > 2)"),
    ],
)
def test_translate(xpath, vtl_text):
    assert translate(xpath, "x") == vtl_text


def test_relevant_constraint_repeat(tmp_path):
    questionnaire = read_xlsform(_workbook(tmp_path))
    answers = {"jardin": "non", "surface": 10, "nb": 2, "prenom": ["Paul", "Anne"], "age": [40, 38], "remarque": "ok"}
    result = simulate(questionnaire, answers, TODAY)
    # no garden: surface (page 2) skipped; repeat of 2; group shown since nb > 1
    assert result["pages"] == ["1", "3", "4.1#1", "4.2#1", "4.1#2", "4.2#2", "5", "6"]
    assert result["data"]["surface"] is None
    assert result["data"]["age"] == [40, 38]
    blocked = simulate(questionnaire, {**answers, "age": [40, 150]}, TODAY)
    assert blocked["blocked"] == {"page": "4.2#2", "control": "age-constraint", "message": "Âge improbable"}


def test_errors_are_located(tmp_path):
    survey = list(SURVEY)
    survey[2] = ("integer", "surface", "Surface", "pulldata('x')", "", "", "", "", "")
    survey[3] = ("geopoint", "lieu", "Lieu", "", "", "", "", "", "")
    with pytest.raises(SchemaError) as info:
        read_xlsform(_workbook(tmp_path, survey))
    assert info.value.errors == [
        "survey ligne 3, colonne relevant : fonction XLSForm non prise en charge « pulldata »",
        "survey ligne 4 : type : type de question inconnu « geopoint »",
    ]

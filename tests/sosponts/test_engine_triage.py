"""Triage: safety first. Each row: a text as a mayor writes it (or a class) and the expected urgency."""

import pytest

from communs.sosponts.engine.ouvrages import ClassError, Condition, parse_condition
from communs.sosponts.engine.triage import NORMAL, URGENT, triage


@pytest.mark.parametrize(
    ("text", "iqoa", "urgency", "sign"),
    [
        ("la pile a été affouillée après la crue", "", URGENT, "affouillement"),  # the acceptance row
        ("Végétation sur un pont en maçonnerie : que faire ?", "", NORMAL, None),  # the normal row
        ("Des arbustes poussent entre les pierres", "2", NORMAL, None),
        ("On voit un trou qui se creuse au pied de la pile", "", URGENT, "affouillement"),
        ("La fissure sur la voûte s'élargit depuis cet hiver", "", URGENT, "fissure_evolutive"),
        ("Le garde-corps a été arraché par un tracteur", "", URGENT, "garde_corps"),
        ("des pierres tombent de la voûte sur le chemin", "", URGENT, "chute_pierres"),
        ("la chaussée s'est enfoncée à l'entrée du pont", "", URGENT, "affaissement"),
        ("le pont bouge quand le car scolaire passe", "", URGENT, "mouvement_tablier"),
        ("la pile penche vers l'aval", "", URGENT, "appui_incline"),
        ("des troncs sont coincés contre la pile après la tempête", "", URGENT, "choc"),
        ("Peut-on repeindre les garde-corps en vert ?", "", NORMAL, None),
        ("Une petite fissure ancienne, stable depuis dix ans", "", NORMAL, None),
    ],
)
def test_danger_signs_in_mayors_words(text, iqoa, urgency, sign):
    result = triage(text, iqoa)
    assert result.urgency == urgency
    assert (sign in result.signs) if sign else result.signs == ()
    assert bool(result.reasons) == (urgency == URGENT)  # every urgent answer says why


@pytest.mark.parametrize(
    ("iqoa", "urgency"),
    [
        ("3U", URGENT),
        ("3us", URGENT),
        ("2ES", URGENT),
        ("1S", URGENT),
        ("3", NORMAL),
        ("2E", NORMAL),
        ("NE", NORMAL),
        ("", NORMAL),
    ],
)
def test_condition_class_alone(iqoa, urgency):
    assert triage("Question sur l'entretien courant", iqoa).urgency == urgency


def test_class_and_text_reasons_are_all_listed():
    result = triage("la pile a été affouillée après la crue", "3U")
    assert len(result.reasons) == 2 and result.reasons[0].startswith("Classe IQOA 3U")
    assert result.as_json() == {"urgency": "urgent", "reasons": list(result.reasons)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3U", Condition("3U")),
        ("IQOA 2E S", Condition("2E", True)),
        (" ne ", Condition("NE")),
        (None, Condition("NE")),
    ],
)
def test_parse_condition(text, expected):
    assert parse_condition(text) == expected


@pytest.mark.parametrize("text", ["4", "3X", "NES", "urgent"])
def test_parse_condition_refuses_unknown_classes(text):
    with pytest.raises(ClassError):
        parse_condition(text)

"""Search normalisation: one row per rule of `normalize_search_text`."""

import pytest

from communs.territoires.engine.normalize import normalize_search_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),  # accents and hyphens
        ("St-Etienne", "saint etienne"),  # "st" expanded as a whole word
        ("ST ÉTIENNE", "saint etienne"),  # case
        ("Ste-Marie", "sainte marie"),  # "ste" expanded
        ("Stes-Maries-de-la-Mer", "saintes maries de la mer"),
        ("Steenvoorde", "steenvoorde"),  # "ste" inside a word is not an abbreviation
        ("Strasbourg", "strasbourg"),
        ("L'Haÿ-les-Roses", "l hay les roses"),  # apostrophe, diaeresis
        ("L’Île-Bouchard", "l ile bouchard"),  # typographic apostrophe
        ("  Paris   15e  ", "paris 15e"),  # collapsed spaces
        ("Œuilly", "oeuilly"),  # ligature
        ("Aÿ-Champagne", "ay champagne"),
        ("Saint-Denis (93066)", "saint denis 93066"),  # punctuation
        ("", ""),
    ],
)
def test_normalize_search_text(text, expected):
    assert normalize_search_text(text) == expected

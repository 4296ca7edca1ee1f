"""communs.core.numbers: numbers for people and numbers for machines (hand-written expectations)."""

import math

import pytest

from communs.core.numbers import format_number, format_percent, machine_number, significant_decimals

NN = "\u202f"  # narrow no-break space between thousands
NB = "\u00a0"  # no-break space before the unit


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (7482.779, 1, "tCO2e", f"7{NN}482,8{NB}tCO2e"),
        (1357.638, 0, "t", f"1{NN}358{NB}t"),
        (1234567, 0, None, f"1{NN}234{NN}567"),
        (999, 0, None, "999"),
        (0.125, 2, None, "0,13"),  # half up on the decimal value, not the float 0.12499…
        (-1234.5, 0, None, f"\u22121{NN}235"),
        (-0.04, 1, None, "0,0"),
        (None, 0, None, "—"),
        (math.nan, 0, None, "—"),
        (math.inf, 0, None, "—"),
    ],
)
def test_format_number(value, decimals, unit, expected):
    assert format_number(value, decimals, unit) == expected


def test_format_percent():
    assert format_percent(12.345) == f"12,3{NB}%"


@pytest.mark.parametrize(("uncertainty", "decimals"), [(867.358, 0), (0.1663, 2), (0.05, 3), (0, 0)])
def test_significant_decimals(uncertainty, decimals):
    assert significant_decimals(uncertainty) == decimals


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (380.0, None, "380"),
        (12345.678, 2, "12345.68"),
        (0.5, None, "0.5"),
        (math.nan, None, "0"),
        (1e-7, None, "0.0000001"),
    ],
)
def test_machine_number_is_never_localised(value, decimals, expected):
    assert machine_number(value, decimals) == expected


def test_template_filters_for_people_and_machines():
    from django.template import Context, Template

    html = Template(
        "{% load communs_numbers %}{{ t|tonnes:'tCO2e' }}|{{ t|selon_incertitude:u }}|± {{ u|selon_incertitude:u }}"
        "|{{ n|personnes }}|{{ s|part }}|{{ t|machine:1 }}"
    ).render(Context({"t": 7482.779, "u": 867.358, "n": 12345.6, "s": 0.1234}))
    # 7482.779 → one decimal "7 482,8"; ± 867.358 → 2 significant digits need no decimal → "7 483", "867".
    assert html == "7\u202f482,8\u00a0tCO2e|7\u202f483|± 867|12\u202f346|12,3\u00a0%|7482.8"


def test_valeur_trims_trailing_zeros():
    from django.template import Context, Template

    html = Template("{% load communs_numbers %}{{ a|valeur }}|{{ b|valeur }}|{{ c|valeur }}").render(
        Context({"a": 1234.5, "b": 12.0, "c": None})
    )
    assert html == "1\u202f234,5|12|—"

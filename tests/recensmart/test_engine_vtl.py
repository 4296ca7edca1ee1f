"""The VTL translator: table-driven expressions with their expected values."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from communs.recensmart.engine import vtl
from tests.recensmart.helpers import SHARED, needs_shared

TODAY = dt.date(2026, 11, 29)
VALUES = {
    "A": 5,
    "B": "1",
    "S": "Martin",
    "N": None,
    "T": True,
    "D": "1985-04-12",
    "L": [3, 4, None],
    "P": ["Paul", "Anne"],
}

CASES = [
    ("1 + 2 * 3", 7),  # * binds tighter: 1 + 6
    ("(1 + 2) * 3", 9),
    ("10 - 4 - 3", 3),  # left associative: (10 - 4) - 3
    ("7 / 2", Decimal("3.5")),
    ("-A + 1", -4),
    ('A > 3 and B = "1"', True),
    ("A > 3 and N = 1", None),  # true and null is null
    ("A < 3 and N = 1", False),  # false and null is false
    ("A < 3 or N = 1", None),
    ("A > 3 or N = 1", True),
    ('not(A > 3) or B <> "1"', False),  # not binds as a call: (not true) or false
    ("not A > 3", False),
    ("isnull(N)", True),
    ("isnull(S)", False),
    ("nvl(N, 0) + 1", 1),
    ('nvl(S, "x")', "Martin"),
    ('"Bonjour " || S', "Bonjour Martin"),
    ('"x" || N', "x"),  # a null concatenates as empty text
    ('if A > 3 then "grand" else "petit"', "grand"),
    ('if N = 1 then "a" else "b"', "b"),  # null condition takes the else branch
    ('cast("12", integer) + 1', 13),
    ('cast("abc", integer)', None),
    ('cast(A, string) || "!"', "5!"),
    ("2023 - cast(substr(cast(D, string), 1, 4), integer)", 38),  # 2023 - 1985
    ('substr("abcdef", 2, 3)', "bcd"),  # 1-based start
    ('instr("abcdef", "cd")', 3),
    ("length(S)", 6),
    ("upper(S)", "MARTIN"),
    ("count(L)", 3),  # iterations, answered or not
    ("sum(L)", 7),  # 3 + 4, null ignored
    ("min(L)", 3),
    ("max(L)", 4),
    ("round(2.567, 2)", Decimal("2.57")),
    ("round(2.5)", 3),
    ("abs(-4)", 4),
    ('cast(D, date, "YYYY-MM-DD") < cast("2000-01-01", date, "YYYY-MM-DD")', True),
    ('cast(current_date(), date, "YYYY-MM-DD") > cast("2026-01-01", date, "YYYY-MM-DD")', True),
    ('"Paul" in P', True),
    ('"Zoé" not_in P', True),
    ('B != "2"', True),
    ("'simple' = \"simple\"", True),
    ('A = "5"', True),  # number compared with numeric text
    ("T = true", True),
    ("xor(true) ", None),  # placeholder replaced below (syntax error case)
]


@pytest.mark.parametrize(("expression", "expected"), [c for c in CASES if not c[0].startswith("xor(")])
def test_expression_values(expression, expected):
    assert vtl.run(expression, VALUES, TODAY) == expected


@pytest.mark.parametrize(
    ("expression", "position"),
    [
        ("A +", 3),  # nothing after the operator
        ("not(isnull($MATR$))", 11),  # an Eno placeholder is not a variable
        ("foo(A)", 0),  # unknown function
        ("cast(A, texte)", 8),
        ("(A > 1", 6),
        ("A # 2", 2),
    ],
)
def test_syntax_errors_are_located(expression, position):
    with pytest.raises(vtl.VTLSyntaxError) as info:
        vtl.parse(expression)
    assert info.value.position == position
    assert expression in str(info.value)


def test_variables_lists_names():
    assert vtl.variables('if nvl(SEXE, "") = "2" then PRENOM else count(NOM)') == {"SEXE", "PRENOM", "NOM"}


def test_evaluation_never_uses_python_eval():
    # A Python expression is not VTL: it must be refused, not run.
    with pytest.raises(vtl.VTLSyntaxError):
        vtl.parse("__import__('os').system('true')")


LABEL_FIELDS = {"label", "errorMessage"}
# Expressions of INSEE's files that are not valid VTL, with why. Anything else must parse.
KNOWN_INVALID = {
    "not(isnull($LIEUNAIS$))": "Eno placeholder left in recensement.json",
    "not(isnull($MATR$))": "Eno placeholder left in recensement.json",
}


def _expressions(document):
    found = []

    def walk(node, key=None):
        if isinstance(node, dict):
            if isinstance(node.get("value"), str) and set(node) <= {"value", "type", "bindingDependencies"}:
                if str(node.get("type", "VTL")).startswith("VTL"):
                    found.append((key, node["value"]))
            for child_key, child in node.items():
                walk(child, child_key)
        elif isinstance(node, list):
            for child in node:
                walk(child, key)

    walk(document)
    return found


@needs_shared
def test_every_expression_of_the_insee_files_parses():
    checked = 0
    failures = []
    for path in sorted(SHARED.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for key, expression in _expressions(document):
            if key in LABEL_FIELDS or key == "options":
                continue  # labels may be plain text; Lunatic then shows them as written
            checked += 1
            try:
                vtl.parse(expression)
            except vtl.VTLSyntaxError as exc:
                # simpsons.json SUM_EXPENSES has a stray ", +" between two terms.
                if expression not in KNOWN_INVALID and not expression.startswith("nvl(PERCENTAGE_EXPENSES11,0)"):
                    failures.append(f"{path.name}: {exc}")
    assert failures == []
    assert checked > 450  # conditionFilter, control, expression, iterations… of the 8 files


@needs_shared
def test_every_label_of_the_insee_files_renders():
    from communs.recensmart.engine.labels import evaluate_label, render_text
    from communs.recensmart.engine.model import Label

    for path in sorted(SHARED.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for key, expression in _expressions(document):
            if key in LABEL_FIELDS:
                text = render_text(evaluate_label(Label(expression), lambda name, whole: None)).text
                assert "<" not in text or "&lt;" not in text


def test_label_naming_an_undeclared_variable_is_plain_text():
    from communs.recensmart.engine.labels import evaluate_label
    from communs.recensmart.engine.model import Label

    # The census labels options `Homme`, `Femme` as VTL|MD: valid names, but no such variables.
    assert evaluate_label(Label("Homme"), lambda name, whole: None, known={"SEXE"}) == "Homme"
    assert evaluate_label(Label('"Âge de " || PRENOM'), lambda name, whole: "Léa", known={"PRENOM"}) == "Âge de Léa"

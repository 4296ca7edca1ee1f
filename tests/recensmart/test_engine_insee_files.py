"""Each behaviour file of INSEE's Lunatic stories, and the 2022 census, through the runtime.

These tests read ../shared/data/lunatic and skip cleanly when it is absent.
"""

import datetime as dt
import json

import pytest

from communs.recensmart.engine.lunatic import read_lunatic
from communs.recensmart.engine.runtime import Engine, simulate
from tests.recensmart.helpers import DATA, needs_shared, shared

pytestmark = needs_shared
TODAY = dt.date(2026, 11, 29)


def test_cleaning_file_erases_city_when_origin_changes():
    questionnaire = read_lunatic(shared("cleaning.json"))
    engine = Engine(questionnaire, today=TODAY)
    state = engine.new_state()
    engine.start(state)
    engine.submit(state, "1", {})
    assert engine.submit(state, "2", {"ORIGIN": "FR"}).page == "3"
    engine.submit(state, "3", {"CITY": "Lyon"})
    engine.go(state, "2")
    assert engine.submit(state, "2", {"ORIGIN": "US"}).page == "4"  # CITY's page skipped
    assert state["data"]["CITY"] is None  # the file's cleaning rule ORIGIN → CITY


def test_controls_file_warnings_then_error():
    questionnaire = read_lunatic(shared("controls-simple.json"))
    result = simulate(questionnaire, {"TESTSURBOO": True, "TESTTEXTE": "BLABLA", "TESTCODE": "1"}, TODAY)
    controls = [w["control"] for w in result["warnings"]]
    # boolean checked → its 2nd WARN; text BLABLA → "ne peut pas valoir BLABLA"; code 1 → "vaut 1";
    # the three empty dates later raise no ERROR (null dates pass their format control).
    assert controls[:3] == ["kfxmjupm-CI-1", "kfxn6f16-CI-0", "kfxn91jl-CI-0"]
    assert result["blocked"] is None
    blocked = simulate(questionnaire, {"TESTCODE": "2", "TESTDATEA": "2050-01-01"}, TODAY)
    # 2050-01-01 > 2040-12-31: the FORMAT control (ERROR) blocks page 5
    assert blocked["blocked"]["page"] == "5"
    assert blocked["blocked"]["message"] == "La date saisie doit être comprise entre 1990-12-31 et 2040-12-31."


def test_resizing_file_sizes_the_roster_from_nb_and_shrinks():
    questionnaire = read_lunatic(shared("resizing.json"))
    engine = Engine(questionnaire, today=TODAY)
    state = engine.new_state()
    engine.start(state)
    engine.submit(state, "1", {})
    engine.submit(state, "2", {"NB": "3"})
    screen = engine.screen(state["data"], "3")
    assert screen.rows == 3  # lines min = max = cast(NB, integer)
    engine.submit(state, "3", {"PRENOM__0": "A", "PRENOM__1": "B", "PRENOM__2": "C", "__rows__ksykfdm9": "3"})
    assert state["data"]["PRENOM"] == ["A", "B", "C"]
    engine.go(state, "2")
    engine.submit(state, "2", {"NB": "2"})
    # resizing NB → size cast(NB, integer) for PRENOM and AGE
    assert state["data"]["PRENOM"] == ["A", "B"]
    assert len(state["data"]["AGE"]) == 2


def test_resizing_file_cleaning_on_calculated_sum():
    questionnaire = read_lunatic(shared("resizing.json"))
    answers = {"NB": 2, "PRENOM": ["Bart", "Homer"], "AGE": [10, 39], "DIVERS": "x"}
    result = simulate(questionnaire, answers, TODAY)
    assert "7" in result["pages"]  # SUM_MAJEUR = 0 + 1 > 0: DIVERS is asked
    assert result["data"]["DIVERS"] == "x"
    answers["AGE"] = [10, 12]
    result = simulate(questionnaire, answers, TODAY)
    assert "7" not in result["pages"] and result["data"]["DIVERS"] is None


@pytest.mark.parametrize("name", ["loop-roster.json", "loop-paginated.json"])
def test_loop_files_one_page_per_person(name):
    questionnaire = read_lunatic(shared(name))
    result = simulate(questionnaire, {"PRENOM": ["John", "Jane", "Jim"], "AGE": [40, 38, 9]}, TODAY)
    assert result["pages"] == ["1", "2.1#1", "2.1#2", "2.1#3", "3"]
    assert result["data"] == {"PRENOM": ["John", "Jane", "Jim"], "AGE": [40, 38, 9]}


def test_loop_paginated_label_uses_iteration_name():
    questionnaire = read_lunatic(shared("loop-paginated.json"))
    engine = Engine(questionnaire, today=TODAY)
    data = {"PRENOM": ["John", "Jane"], "AGE": [None, None]}
    screen = engine.screen(data, "2.1#2")
    from communs.recensmart.engine.runtime import Evaluator

    text = Evaluator(engine, data).label(screen.items[0].component.label, screen.items[0].ctx).text
    assert text == "Jane, quel est vôtre âge ?"


def test_pairwise_file_symmetric_codes():
    questionnaire = read_lunatic(shared("pairwise.json"))
    prefill = json.loads(shared("pairwise-data.json").read_text(encoding="utf-8"))["COLLECTED"]
    answers = {name: value["COLLECTED"] for name, value in prefill.items()}  # Dad, Mom, Unknow
    answers["LINKS"] = [[None, "1", "2"], [None, None, "5"], [None, None, None]]
    result = simulate(questionnaire, answers, TODAY)
    links = result["data"]["LINKS"]
    # symLinks: 1 ↔ 1 (spouse), 2 → 3 (parent → child), 5 → 6
    assert links[1][0] == "1"
    assert links[2][0] == "3"
    assert links[2][1] == "6"
    assert [p for p in result["pages"] if p.startswith("3#")] == ["3#1-2", "3#1-3", "3#2-1", "3#2-3", "3#3-1", "3#3-2"]


def test_census_household_of_three_end_to_end():
    questionnaire = read_lunatic(shared("recensement.json"))
    answers = json.loads((DATA / "recensement-menage-3.json").read_text(encoding="utf-8"))
    result = simulate(questionnaire, answers, TODAY)
    assert result["blocked"] is None
    pages = result["pages"]
    assert "6" not in pages  # DANSCECASP only when AACHL_X = "6"
    assert [p for p in pages if p.startswith("16#")] == ["16#1-2", "16#1-3", "16#2-1", "16#2-3", "16#3-1", "16#3-2"]
    assert [p for p in pages if p.startswith("18.1#")] == ["18.1#1", "18.1#2", "18.1#3"]
    # Léa, born 2012, is 11 in 2023: the roundabout marks her bulletin unnecessary (AGE < 13).
    assert "20.1#1" in pages and "20.1#2" in pages and "20.1#3" not in pages
    data = result["data"]
    assert data["LINKS"] == [[None, "1", "3"], ["1", None, "3"], ["2", "2", None]]
    assert data["PRENOM"] == ["Paul", "Anne", "Léa"]
    assert data["PROFS"][:2] == ["Développeur", "Secrétaire"]

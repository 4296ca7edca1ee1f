"""The respondent runtime: filters, cleaning, controls, household loops, links, resume."""

import datetime as dt

import pytest

from communs.recensmart.engine.lunatic import read_lunatic
from communs.recensmart.engine.runtime import COMPLETED, INIT, REVIEW, STARTED, Engine, simulate
from tests.recensmart.helpers import MENAGE

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def questionnaire():
    return read_lunatic(MENAGE)


@pytest.fixture
def engine(questionnaire):
    return Engine(questionnaire, today=TODAY)


def _walk_to(engine, state, key, answers):
    """Press next with the given page forms until `key` is reached."""
    while state["page"] != key:
        outcome = engine.submit(state, state["page"], answers.get(state["page"], {}))
        assert outcome.kind in ("moved", "warned"), outcome


def test_filter_and_cleaning_q2_erased_when_q1_changes(engine):
    state = engine.new_state()
    assert state["status"] == INIT
    engine.start(state)
    assert (state["status"], state["page"]) == (STARTED, "1")
    engine.submit(state, "1", {})
    assert engine.submit(state, "2", {"JARDIN": "1"}).page == "3"  # yes: Q2 is shown
    engine.submit(state, "3", {"SURFJARDIN": "120"})
    assert state["data"]["SURFJARDIN"] == 120
    assert engine.previous(state) == "3"
    assert engine.previous(state) == "2"
    outcome = engine.submit(state, "2", {"JARDIN": "2"})
    assert outcome.page == "4"  # no: Q2's page is skipped
    assert state["data"]["SURFJARDIN"] is None  # and its answer erased, not kept
    assert "3" not in engine.visible_keys(state["data"])


def _household(engine, names, dates=None):
    state = engine.new_state()
    engine.start(state)
    _walk_to(engine, state, "6", {"2": {"JARDIN": "2"}, "4": {"NBPIECES": "4"}})
    form = {"__rows__liste": [str(len(names))]}
    for index, name in enumerate(names):
        form[f"PRENOM__{index}"] = name
        form[f"DATENAIS__{index}"] = (dates or ["1980-01-01"] * len(names))[index]
    assert engine.submit(state, "6", form).kind == "moved"
    return state


def test_household_of_three_has_three_iterations_and_six_links(engine):
    state = _household(engine, ["Paul", "Anne", "Léa"])
    keys = engine.visible_keys(state["data"])
    assert [k for k in keys if k.startswith("7.")] == ["7.1#1", "7.1#2", "7.1#3"]
    links = [k for k in keys if k.startswith("8#")]
    # 3 × 3 ordered pairs minus the 3 pairs of a person with themself = 6
    assert links == ["8#1-2", "8#1-3", "8#2-1", "8#2-3", "8#3-1", "8#3-2"]
    screen = engine.screen(state["data"], "8#1-2")
    from communs.recensmart.engine.runtime import Evaluator

    label = Evaluator(engine, state["data"]).label(screen.items[0].component.label, screen.items[0].ctx)
    assert label.text == "Qui est Anne pour Paul ?"


def test_spouse_link_prefills_the_symmetric_link(engine):
    state = _household(engine, ["Paul", "Anne", "Léa"])
    _walk_to(engine, state, "8#1-2", {f"7.1#{i}": {"ACTIVITE": "1"} for i in (1, 2, 3)})
    engine.submit(state, "8#1-2", {"LIENS": "1"})  # Anne is Paul's spouse
    assert state["data"]["LIENS"][1][0] == "1"  # so Paul is Anne's spouse
    engine.submit(state, "8#1-3", {"LIENS": "3"})  # Léa is Paul's child (code 3)
    assert state["data"]["LIENS"][2][0] == "2"  # so Paul is Léa's parent (code 2)


def test_reducing_household_removes_third_person_answers_and_links(engine):
    state = _household(engine, ["Paul", "Anne", "Léa"])
    _walk_to(engine, state, "8#1-2", {f"7.1#{i}": {"ACTIVITE": str(i)} for i in (1, 2, 3)})
    engine.submit(state, "8#1-2", {"LIENS": "1"})
    engine.submit(state, "8#1-3", {"LIENS": "3"})
    assert state["data"]["ACTIVITE"] == ["1", "2", "3"]
    engine.go(state, "6")
    form = {"__rows__liste": ["3"], "PRENOM__0": "Paul", "PRENOM__1": "Anne", "PRENOM__2": "Léa"}
    assert engine.submit(state, "6", form, action="remove_row:2").kind == "refresh"
    data = state["data"]
    assert data["PRENOM"] == ["Paul", "Anne"]
    assert data["ACTIVITE"] == ["1", "2"]
    assert data["LIENS"] == [[None, "1"], ["1", None]]
    assert [k for k in engine.visible_keys(data) if k.startswith("8#")] == ["8#1-2", "8#2-1"]


def test_error_control_blocks_and_warning_passes_on_second_next(engine):
    state = engine.new_state()
    engine.start(state)
    _walk_to(engine, state, "4", {"2": {"JARDIN": "2"}})
    blocked = engine.submit(state, "4", {"NBPIECES": "25"})
    assert blocked.kind == "blocked"
    assert [(m.control, m.criticality, m.anchor) for m in blocked.errors] == [("pieces-max", "ERROR", "q-NBPIECES")]
    assert state["data"].get("NBPIECES") is None  # nothing saved from a blocked page
    assert engine.submit(state, "4", {"NBPIECES": "25"}).kind == "blocked"  # an ERROR never lets through
    warned = engine.submit(state, "4", {"NBPIECES": "12"})
    assert (warned.kind, warned.page, warned.warnings[0].control) == ("warned", "4", "pieces-warn")
    assert engine.submit(state, "4", {"NBPIECES": "12"}).page == "5"  # second "Continuer" goes on


def test_number_format_errors(engine):
    state = engine.new_state()
    engine.start(state)
    _walk_to(engine, state, "4", {"2": {"JARDIN": "2"}})
    assert engine.submit(state, "4", {"NBPIECES": "douze"}).errors[0].message.startswith("Saisissez un nombre")
    assert engine.submit(state, "4", {"NBPIECES": "2,5"}).errors[0].message == "Saisissez un nombre entier."
    assert engine.submit(state, "4", {"NBPIECES": "1000"}).errors[0].message == (
        "La valeur doit être comprise entre 0 et 999."
    )


def test_mandatory_question_blocks_when_empty(engine):
    state = engine.new_state()
    engine.start(state)
    engine.submit(state, "1", {})
    outcome = engine.submit(state, "2", {})
    assert outcome.errors[0].message == "Ce champ est obligatoire."
    assert outcome.errors[0].anchor == "q-JARDIN-0"  # first radio of the group


def test_resume_keeps_page_and_answers(engine):
    state = engine.new_state()
    engine.start(state)
    _walk_to(engine, state, "4", {"2": {"JARDIN": "1"}, "3": {"SURFJARDIN": "30"}})
    saved = {**state, "data": dict(state["data"])}  # what the database keeps
    resumed_engine = Engine(engine.q, today=TODAY)
    assert saved["page"] == "4"
    assert resumed_engine.start(saved) == "4"
    assert saved["data"]["JARDIN"] == "1" and saved["data"]["SURFJARDIN"] == 30


def test_review_then_idempotent_completion(engine):
    result = simulate(engine.q, {"JARDIN": "2", "NBPIECES": 3, "PRENOM": ["Zoé"], "ACTIVITE": ["1"]}, TODAY)
    assert result["blocked"] is None
    state = engine.new_state()
    engine.start(state)
    with pytest.raises(ValueError):
        engine.complete(state)  # not before the review page
    _walk_to(engine, state, REVIEW, {"2": {"JARDIN": "2"}, "6": {"PRENOM__0": "Zoé"}})
    rows = engine.review(state["data"])
    assert {"page": "2", "label": "Votre logement a-t-il un jardin ?", "answer": "Non"} in rows
    assert engine.complete(state) is True
    assert state["status"] == COMPLETED
    assert engine.complete(state) is False  # second submission changes nothing
    assert engine.submit(state, "2", {"JARDIN": "1"}).kind == "completed"
    assert state["data"]["JARDIN"] == "2"


def test_simulate_pages_and_data(questionnaire):
    answers = {
        "JARDIN": "1",
        "SURFJARDIN": 50,
        "NBPIECES": 12,
        "PRENOM": ["Paul", "Anne"],
        "DATENAIS": ["1980-01-01", "1981-01-01"],
        "ACTIVITE": ["1", "3"],
        "LIENS": [[None, "1"], [None, None]],
    }
    result = simulate(questionnaire, answers, TODAY)
    assert result["pages"] == ["1", "2", "3", "4", "5", "6", "7.1#1", "7.1#2", "8#1-2", "8#2-1", "9", "10"]
    assert result["warnings"] == [
        {"page": "4", "control": "pieces-warn", "message": "Plus de 10 pièces : vérifiez votre réponse."}
    ]
    assert result["data"]["LIENS"] == [[None, "1"], ["1", None]]  # B→A pre-filled from A→B
    assert result["blocked"] is None


def test_simulate_reports_blocking_control(questionnaire):
    result = simulate(questionnaire, {"JARDIN": "2", "NBPIECES": 40}, TODAY)
    assert result["blocked"] == {
        "page": "4",
        "control": "pieces-max",
        "message": "Un logement compte au plus 20 pièces d'habitation.",
    }
    assert result["pages"] == ["1", "2", "4"]


def test_previous_saves_a_draft_without_blocking_on_error_controls(engine):
    """Going back keeps what was typed, even what an ERROR control will refuse on "Continuer"."""
    state = engine.new_state()
    engine.start(state)
    _walk_to(engine, state, "4", {"2": {"JARDIN": "1"}, "3": {"SURFJARDIN": "40"}})
    outcome = engine.submit(state, "4", {"NBPIECES": "25"}, action="previous")  # 25 > 20: an ERROR on next
    assert (outcome.kind, outcome.page, outcome.errors) == ("previous", "3", [])
    assert (state["page"], state["reached"], state["data"]["NBPIECES"]) == ("3", "4", 25)
    assert engine.submit(state, "3", {"SURFJARDIN": "40"}).page == "4"
    blocked = engine.submit(state, "4", {"NBPIECES": "25"})  # the control still applies going forward
    assert blocked.kind == "blocked" and [e.control for e in blocked.errors] == ["pieces-max"]


def test_previous_drops_an_input_that_cannot_be_stored_and_says_which(engine):
    state = engine.new_state()
    engine.start(state)
    _walk_to(engine, state, "4", {"2": {"JARDIN": "2"}})
    engine.submit(state, "4", {"NBPIECES": "7"})
    engine.go(state, "4")
    outcome = engine.submit(state, "4", {"NBPIECES": "sept"}, action="previous")
    assert outcome.page == "2"  # JARDIN = 2 hides page 3
    assert [(e.field, e.control) for e in outcome.errors] == [("NBPIECES", "format")]
    assert state["data"]["NBPIECES"] == 7  # the stored answer stays
    engine.go(state, "4")
    engine.submit(state, "4", {"NBPIECES": ""}, action="previous")
    assert state["data"]["NBPIECES"] is None  # an emptied answer is a draft too

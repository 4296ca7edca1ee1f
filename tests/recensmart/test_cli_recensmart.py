"""`communs recensmart validate | simulate` (engine only, no database)."""

import json

import pytest
from django.core.management import call_command

from tests.recensmart.helpers import MENAGE, needs_shared, shared


def test_validate_ok_json(capsys):
    call_command("recensmart", "validate", str(MENAGE), "--json")
    body = json.loads(capsys.readouterr().out)
    assert (body["valid"], body["id"], body["variables"]) == (True, "menage-demo", 10)


def test_validate_error_exits_1_with_location(capsys, tmp_path):
    document = json.loads(MENAGE.read_text(encoding="utf-8"))
    document["components"][2]["componentType"] = "Slider"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        call_command("recensmart", "validate", str(bad))
    assert info.value.code == 1
    err = capsys.readouterr().err.replace("\n", "")
    assert "bad.json" in err
    assert "components[2] (id surface)" in err and "Slider" in err


def test_validate_error_json(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"components": []}', encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        call_command("recensmart", "validate", str(bad), "--json")
    assert info.value.code == 1
    assert json.loads(capsys.readouterr().out)["errors"] == ["components : liste de composants manquante ou vide"]


def test_simulate_json(capsys, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps(
            {
                "JARDIN": "1",
                "SURFJARDIN": 20,
                "NBPIECES": 4,
                "PRENOM": ["Paul", "Anne"],
                "LIENS": [[None, "2"], [None, None]],
            }
        ),
        encoding="utf-8",
    )
    call_command("recensmart", "simulate", str(MENAGE), "--answers", str(answers), "--json")
    body = json.loads(capsys.readouterr().out)
    assert set(body) == {"pages", "data", "warnings", "blocked"}
    assert body["pages"][:4] == ["1", "2", "3", "4"]
    assert body["data"]["LIENS"] == [[None, "2"], ["3", None]]  # parent ↔ child
    assert body["blocked"] is None


def test_simulate_blocked_json(capsys, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"JARDIN": "2", "NBPIECES": 50}), encoding="utf-8")
    call_command("recensmart", "simulate", str(MENAGE), "--answers", str(answers), "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["blocked"]["control"] == "pieces-max"


def test_simulate_bad_answers_file(capsys, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text("{oops", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        call_command("recensmart", "simulate", str(MENAGE), "--answers", str(answers))
    assert info.value.code == 1
    assert "answers.json" in capsys.readouterr().err


@needs_shared
def test_validate_census(capsys):
    call_command("recensmart", "validate", str(shared("recensement.json")), "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["valid"] is True and body["variables"] == 198

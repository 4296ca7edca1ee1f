"""`communs champollion analyse | demo-data` (engine-only: no database access)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.champollion.dsn_fixtures import CARENCE_SIRET

DATA = Path(__file__).parent / "data"


def run_json(capsys, *args):
    call_command("champollion", *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_analyse_carence_json(capsys):
    body = run_json(capsys, "analyse", str(DATA / "carence"))
    (finding,) = body["findings"]
    assert {
        k: finding[k]
        for k in ("rule", "status", "siret", "contract", "previous_contract", "article", "first_legal_day")
    } == {
        "rule": "delai_carence",
        "status": "infraction",
        "siret": CARENCE_SIRET,
        "contract": "CDD2024002",  # the numéro du contrat as declared
        "previous_contract": "CDD2024001",
        "article": "L1244-3-1",
        "first_legal_day": "2024-05-15",
    }
    assert finding["evidence"]["carence_opening_days"] == 9
    assert [c["contract"] for c in body["contracts"]] == ["CDD2024001", "CDD2024002"]
    (establishment,) = body["establishments"]
    assert establishment["siret"] == CARENCE_SIRET
    assert establishment["risk_score"] > 0
    assert establishment["reasons"][0]["contribution"] >= establishment["reasons"][-1]["contribution"]


def test_analyse_with_calendar_holidays_open(capsys, tmp_path):
    calendar = tmp_path / "calendrier.csv"
    calendar.write_text(
        f"siret,weekdays,closed_dates,holidays_closed\n{CARENCE_SIRET},mon-fri,,false\n", encoding="utf-8"
    )
    body = run_json(capsys, "analyse", str(DATA / "carence"), "--calendar", str(calendar))
    assert body["findings"] == []


def test_analyse_never_prints_names_or_nir(capsys):
    call_command("champollion", "analyse", str(DATA / "carence"), "--json")
    out = capsys.readouterr().out
    assert "MARTIN" not in out
    assert "1860135239101" not in out


def test_analyse_many_paths_renewals_and_replacements(capsys):
    body = run_json(capsys, "analyse", str(DATA / "renouvellements"), str(DATA / "annule-remplace"))
    rules = sorted((f["rule"], f["contract"]) for f in body["findings"] if f["rule"] != "emploi_permanent")
    assert rules == [
        ("duree_maximale", "CDD2023100"),
        ("renouvellements", "CDD2023100"),
        ("renouvellements", "CDD2023100"),
    ]
    assert body["summary"]["declarations_discarded"][0]["file"] == "dsn-2024-01.txt"


def test_analyse_bad_calendar_names_file_and_line(capsys, tmp_path):
    calendar = tmp_path / "cal.csv"
    calendar.write_text("siret,weekdays\n1,lundi-vendredi\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("champollion", "analyse", str(DATA / "carence"), "--calendar", str(calendar))
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.replace("\n", "")
    assert "cal.csv" in err
    assert "ligne 2" in err


def test_analyse_missing_path(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        call_command("champollion", "analyse", str(tmp_path / "absent"))
    assert exit_info.value.code == 1
    assert "absent" in capsys.readouterr().err


def test_analyse_reports_located_issues(capsys, tmp_path):
    text = (
        (DATA / "carence" / "dsn-2024-04.txt")
        .read_text(encoding="utf-8")
        .replace("S21.G00.40.010,'26042024'", "S21.G00.40.010,'2604'")
    )
    (tmp_path / "bad.dsn").write_text(text, encoding="utf-8")
    body = run_json(capsys, "analyse", str(tmp_path))
    (issue,) = body["issues"]
    assert (issue["file"], issue["field"]) == ("bad.dsn", "S21.G00.40.010")
    assert issue["line"] > 0


def test_demo_data_is_seeded_and_analysable(capsys, tmp_path):
    stats = run_json(capsys, "demo-data", "--establishments", "3", "--months", "6", "--out", str(tmp_path / "a"))
    assert stats["files"] >= 18  # 3 establishments × 6 months (+ the temp agency)
    run_json(capsys, "demo-data", "--establishments", "3", "--months", "6", "--out", str(tmp_path / "b"))
    first = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert first == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in first)
    body = run_json(capsys, "analyse", str(tmp_path / "a"))
    assert body["issues"] == []
    assert body["contracts"]


@pytest.mark.django_db
def test_import_is_idempotent_from_the_command_line(capsys, territoires_reference, champollion_data_dir):
    first = run_json(capsys, "import", str(DATA / "carence"))
    assert (first["new_files"], first["contracts"], first["findings"]) == (2, 2, 1)
    again = run_json(capsys, "import", str(DATA / "carence"))
    assert (again["new_files"], again["known_files"], again["contracts"], again["findings"]) == (0, 2, 2, 1)
